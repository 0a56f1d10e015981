"""The OPDS catalog under /opds/ (tag names escaped as on tag pages: `/` is `*s*`)."""

from django.urls import path, re_path

from polis.downloads.formats import FORMATS
from polis.opds import views

app_name = "opds"

_FILE = rf"(?P<title>.*)\.(?P<extension>{'|'.join(FORMATS)})\Z"

urlpatterns = [
    path("opds/", views.root, name="root"),
    path("opds/works", views.latest, name="works"),
    path("opds/fandoms", views.fandoms, name="fandoms"),
    path("opds/tags/<str:name>", views.tag_works, name="tag"),
    path("opds/search", views.search, name="search"),
    path("opds/opensearch.xml", views.opensearch, name="opensearch"),
    path("opds/bookmarks", views.bookmarks, name="bookmarks"),
    path("opds/later", views.later, name="later"),
    re_path(
        rf"^opds/downloads/(?P<work_id>[0-9]{{1,18}})/{_FILE}",
        views.download,
        name="download",
    ),
]
