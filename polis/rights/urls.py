from django.urls import path

from polis.rights import views

app_name = "rights"

urlpatterns = [
    path("users/<str:username>/delete", views.account_delete_view, name="delete"),
    path("users/<str:username>/export", views.export_index, name="exports"),
    path("users/<str:username>/export/new", views.export_new, name="export_new"),
    path("exports/<int:export_id>/download", views.export_download, name="export_download"),
]
