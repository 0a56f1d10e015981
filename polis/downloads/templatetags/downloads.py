"""`{% download_links work as links %}` and `{% series_download_links series as links %}`: the
formats offered for a work or a whole series, with their URLs."""

from django import template

from polis.downloads import links
from polis.downloads.links import DownloadLink
from polis.works.models import Series, Work

register = template.Library()


@register.simple_tag
def download_links(work: Work) -> list[DownloadLink]:
    """Links for every format this server makes; none for drafts, which never download."""
    return links.work_download_links(work)


@register.simple_tag
def series_download_links(series: Series) -> list[DownloadLink]:
    """Links for every format this server makes, for the series as one book."""
    return links.series_download_links(series)
