"""Download URLs in AO3's shape: /downloads/ID/TITLE.FORMAT (the title part is free), and a
whole series at /downloads/series/ID/TITLE.FORMAT."""

from django.urls import re_path

from polis.downloads import views
from polis.downloads.formats import FORMATS

app_name = "downloads"

_EXTENSIONS = "|".join(FORMATS)
_FILE = rf"/(?P<title>.*)\.(?P<extension>{_EXTENSIONS})\Z"

urlpatterns = [
    re_path(
        rf"^downloads/(?P<work_id>[0-9]{{1,18}}){_FILE}",
        views.download,
        name="download",
    ),
    re_path(
        rf"^downloads/series/(?P<series_id>[0-9]{{1,18}}){_FILE}",
        views.series_download,
        name="series",
    ),
]
