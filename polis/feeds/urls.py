from django.urls import path

from polis.feeds import views

app_name = "feeds"

urlpatterns = [
    path("tags/<str:name>/feed.atom", views.tag_feed, name="tag"),
]
