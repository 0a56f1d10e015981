"""Download URLs of a work or a series in each format this server makes (pages, API, OPDS)."""

from dataclasses import dataclass

from django.urls import reverse

from polis.downloads.formats import Format, available_formats
from polis.downloads.preface import download_slug
from polis.downloads.series import series_slug
from polis.works.models import Series, Work


@dataclass(frozen=True)
class DownloadLink:
    label: str
    extension: str
    url: str
    media_type: str


def download_url(work: Work, extension: str) -> str:
    kwargs = {"work_id": work.pk, "title": download_slug(work), "extension": extension}
    return reverse("downloads:download", kwargs=kwargs)


def series_download_url(series: Series, extension: str) -> str:
    kwargs = {"series_id": series.pk, "title": series_slug(series), "extension": extension}
    return reverse("downloads:series", kwargs=kwargs)


def _link(fmt: Format, url: str) -> DownloadLink:
    return DownloadLink(fmt.label, fmt.extension, url, fmt.media_type)


def work_download_links(work: Work) -> list[DownloadLink]:
    """Links for every format this server makes; none for drafts, which never download."""
    if not work.posted:
        return []
    return [_link(f, download_url(work, f.extension)) for f in available_formats()]


def series_download_links(series: Series) -> list[DownloadLink]:
    """Links for every format this server makes, for the series as one book."""
    return [_link(f, series_download_url(series, f.extension)) for f in available_formats()]
