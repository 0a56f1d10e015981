from django.urls import path

from polis.tags import views

app_name = "tags"

urlpatterns = [
    path("tags/<str:name>", views.tag_show, name="show"),
    path("tags/<str:name>/works", views.tag_works, name="works"),
]
