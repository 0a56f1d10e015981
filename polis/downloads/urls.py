"""Download URLs in AO3's shape: /downloads/ID/TITLE.FORMAT (the title part is free)."""

from django.urls import re_path

from polis.downloads import views
from polis.downloads.formats import FORMATS

app_name = "downloads"

_EXTENSIONS = "|".join(FORMATS)

urlpatterns = [
    re_path(
        rf"^downloads/(?P<work_id>[0-9]{{1,18}})/(?P<title>.*)\.(?P<extension>{_EXTENSIONS})\Z",
        views.download,
        name="download",
    ),
]
