"""Import New Work (`/works/import`), an import's progress, and the claim page."""

from django.urls import path

from polis.imports import views

app_name = "imports"

urlpatterns = [
    path("works/import", views.import_new, name="new"),
    path("works/import/<int:job_id>", views.import_job, name="job"),
    path("works/import/claim/<str:token>", views.import_claim, name="claim"),
]
