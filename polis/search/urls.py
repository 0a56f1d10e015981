from django.urls import path

from polis.search import views

app_name = "search"

urlpatterns = [
    path("works/search", views.work_search_page, name="works"),
]
