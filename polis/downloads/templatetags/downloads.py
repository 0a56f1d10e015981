"""`{% download_links work as links %}`: the formats offered for a work, with their URLs."""

from dataclasses import dataclass

from django import template
from django.urls import reverse

from polis.downloads.formats import available_formats
from polis.downloads.preface import download_slug
from polis.works.models import Work

register = template.Library()


@dataclass(frozen=True)
class DownloadLink:
    label: str
    extension: str
    url: str


def download_url(work: Work, extension: str) -> str:
    kwargs = {"work_id": work.pk, "title": download_slug(work), "extension": extension}
    return reverse("downloads:download", kwargs=kwargs)


@register.simple_tag
def download_links(work: Work) -> list[DownloadLink]:
    """Links for every format this server makes; none for drafts, which never download."""
    if not work.posted:
        return []
    return [
        DownloadLink(f.label, f.extension, download_url(work, f.extension))
        for f in available_formats()
    ]
