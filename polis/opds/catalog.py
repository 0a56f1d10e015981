"""Works and pages of works as OPDS feeds and entries (no database access beyond what the
works already hold: callers pass works loaded with `with_display_data`)."""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from polis.core.sanitizer import strip_tags
from polis.downloads.formats import available_formats
from polis.downloads.preface import TAG_LABELS, download_slug, work_identifier
from polis.opds.atom import (
    ACQUIRE,
    ACQUISITION,
    NAVIGATION,
    OPENSEARCH_TYPE,
    Author,
    Entry,
    Feed,
    Link,
)
from polis.tags.models import Tag, TagType
from polis.tags.names import tag_to_url
from polis.works.models import Work, tags_of_type
from polis.works.visibility import ANONYMOUS, byline_pseuds

PER_PAGE = 20


@dataclass(frozen=True)
class Paging:
    """Where a page sits in its listing (pages count from 1)."""

    number: int
    per_page: int
    total: int

    @property
    def last(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1


def tag_feed_path(tag: Tag) -> str:
    """`/opds/tags/NAME`, the name escaped as on tag pages (`/` is `*s*`)."""
    return reverse("opds:tag", kwargs={"name": tag_to_url(tag.name)})


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def work_authors(request: HttpRequest, work: Work) -> list[Author]:
    """The byline as the work page gives it: "Anonymous" when a collection hides it."""
    authors = [
        Author(str(pseud), _absolute(request, pseud.get_absolute_url()))
        for pseud in byline_pseuds(work)
    ]
    return authors or [Author(ANONYMOUS)]


def _updated(work: Work) -> datetime.datetime:
    return work.revised_at or work.updated_at


def work_entry(request: HttpRequest, work: Work) -> Entry:
    """One work: who wrote it (Anonymous when a collection says so), its tags, summary and a
    link per download format."""
    links = [Link(_absolute(request, work.get_absolute_url()), "alternate", "text/html")]
    for fmt in available_formats():
        kwargs = {"work_id": work.pk, "title": download_slug(work), "extension": fmt.extension}
        href = _absolute(request, reverse("opds:download", kwargs=kwargs))
        links.append(Link(href, ACQUIRE, fmt.media_type.split(";")[0], fmt.label))
    for fandom in tags_of_type(work, TagType.FANDOM):
        if fandom.canonical:
            href = _absolute(request, tag_feed_path(fandom))
            links.append(Link(href, "related", ACQUISITION, fandom.name))
    return Entry(
        id=work_identifier(work.pk),
        title=work.title,
        updated=_updated(work),
        links=links,
        authors=work_authors(request, work),
        summary=strip_tags(work.summary) if work.summary else "",
        content_html=work.summary,
        language=work.language,
        issued=work.published_at,
        categories=[
            tag.name for tag_type, _, _ in TAG_LABELS for tag in tags_of_type(work, tag_type)
        ],
    )


def navigation_entry(
    request: HttpRequest, *, path: str, title: str, text: str, rel: str, kind: str
) -> Entry:
    href = _absolute(request, path)
    return Entry(
        id=href,
        title=title,
        updated=timezone.now(),
        links=[Link(href, rel, kind, title)],
        content_text=text,
    )


def _page_url(request: HttpRequest, number: int) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    if number > 1:
        params["page"] = str(number)
    query = urlencode(sorted(params.items()))
    return _absolute(request, request.path + (f"?{query}" if query else ""))


def feed(
    request: HttpRequest,
    *,
    title: str,
    kind: str,
    entries: list[Entry],
    paging: Paging | None = None,
    extra_links: list[Link] | None = None,
) -> Feed:
    """A catalog feed with the links every page carries: self, start, up and search."""
    self_url = _page_url(request, paging.number) if paging else _absolute(request, request.path)
    root = _absolute(request, reverse("opds:root"))
    links = [
        Link(self_url, "self", kind),
        Link(root, "start", NAVIGATION, f"{settings.SITE_NAME} catalog"),
        Link(_absolute(request, reverse("opds:opensearch")), "search", OPENSEARCH_TYPE, "Search"),
    ]
    if self_url != root:
        links.append(Link(root, "up", NAVIGATION))
    if paging:
        links.append(Link(_page_url(request, 1), "first", kind))
        if paging.number > 1:
            previous = min(paging.number - 1, paging.last)
            links.append(Link(_page_url(request, previous), "previous", kind))
        if paging.number < paging.last:
            links.append(Link(_page_url(request, paging.number + 1), "next", kind))
        links.append(Link(_page_url(request, paging.last), "last", kind))
    links.extend(extra_links or [])
    updated = max((entry.updated for entry in entries), default=None) or timezone.now()
    return Feed(
        id=self_url,
        title=title,
        updated=updated,
        links=links,
        entries=entries,
        author=Author(settings.SITE_NAME, _absolute(request, "/")),
        total=paging.total if paging else None,
        per_page=paging.per_page if paging else None,
        start_index=paging.start_index if paging else None,
    )
