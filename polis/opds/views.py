"""The OPDS catalog's pages: parse the request, read through the search service or a selector,
answer with a feed.

Listings see what the web shows the same reader: never drafts, restricted works only with a
valid token (or session), never works by muted users or with blocklisted tags (the search
service applies the viewer's mutes and blocklist).
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers

from polis.core.pagination import page_number, page_of
from polis.downloads.views import work_download_response
from polis.opds.atom import ACQUISITION, NAVIGATION, SORT_NEW, render_feed, render_opensearch
from polis.opds.auth import BadCredentials, Viewer, challenge, opds_viewer
from polis.opds.catalog import (
    PER_PAGE,
    Paging,
    feed,
    navigation_entry,
    tag_feed_path,
    work_entry,
)
from polis.opds.selectors import (
    bookmarked_work_ids,
    fandom_total,
    fandoms_by_size,
    later_work_ids,
    works_in_order,
)
from polis.search.query import Sort, WorkFilter
from polis.search.service import MAX_PAGE, tag_scope, work_search
from polis.tags.access import access_tag
from polis.works.models import Work

FANDOMS_PER_PAGE = 50
QUERY_MAX = 500

OpdsView = Callable[..., HttpResponse]


def opds_view(view: OpdsView) -> OpdsView:
    """Settle who is reading (401 for wrong credentials) and mark personal answers private."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        try:
            viewer = opds_viewer(request)
        except BadCredentials:
            return challenge("Those credentials are not valid: use a token from /settings/tokens.")
        response = view(request, viewer, *args, **kwargs)
        patch_vary_headers(response, ["Authorization"])
        if viewer.is_authenticated:
            patch_cache_control(response, private=True)
        return response

    return wrapped


def _page_number(request: HttpRequest) -> int:
    return min(page_number(request.GET.get("page")), MAX_PAGE + 1)


def _respond(body: bytes, content_type: str) -> HttpResponse:
    return HttpResponse(body, content_type=content_type)


def _works_feed(request: HttpRequest, viewer: Viewer, *, title: str, f: WorkFilter) -> HttpResponse:
    """One page of a search as an acquisition feed."""
    number = _page_number(request)
    results = work_search(
        viewer=viewer, f=f, page_number=number, per_page=PER_PAGE, with_facets=False
    )
    paging = Paging(number, PER_PAGE, min(results.total, MAX_PAGE * PER_PAGE))
    entries = [work_entry(request, work) for work in results.page.object_list]
    page = feed(request, title=title, kind=ACQUISITION, entries=entries, paging=paging)
    return _respond(render_feed(page), ACQUISITION)


def _shelf(request: HttpRequest, work_ids: list[int], title: str) -> HttpResponse:
    number = _page_number(request)
    found = page_of(work_ids, number, per_page=PER_PAGE)
    works: list[Work] = works_in_order(list(found.object_list))
    entries = [work_entry(request, work) for work in works]
    paging = Paging(number, PER_PAGE, found.paginator.count)
    page = feed(request, title=title, kind=ACQUISITION, entries=entries, paging=paging)
    return _respond(render_feed(page), ACQUISITION)


@opds_view
def root(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """The start of the catalog: what to browse, and the reader's shelves when logged in."""
    entries = [
        navigation_entry(
            request,
            path=reverse("opds:works"),
            title="Latest works",
            text="Works posted or updated most recently.",
            rel=SORT_NEW,
            kind=ACQUISITION,
        ),
        navigation_entry(
            request,
            path=reverse("opds:fandoms"),
            title="Fandoms",
            text="The fandoms with the most works.",
            rel="subsection",
            kind=NAVIGATION,
        ),
    ]
    if viewer.is_authenticated:
        entries += [
            navigation_entry(
                request,
                path=reverse("opds:bookmarks"),
                title="Bookmarks",
                text=f"Works {viewer.username} bookmarked.",
                rel="subsection",
                kind=ACQUISITION,
            ),
            navigation_entry(
                request,
                path=reverse("opds:later"),
                title="Marked for Later",
                text=f"Works {viewer.username} marked to read later.",
                rel="subsection",
                kind=ACQUISITION,
            ),
        ]
    page = feed(request, title=f"{settings.SITE_NAME} catalog", kind=NAVIGATION, entries=entries)
    return _respond(render_feed(page), NAVIGATION)


@opds_view
def latest(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    return _works_feed(request, viewer, title="Latest works", f=WorkFilter(sort=Sort.REVISED))


@opds_view
def fandoms(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    number = _page_number(request)
    offset = (number - 1) * FANDOMS_PER_PAGE
    counts = fandoms_by_size(viewer, offset=offset, limit=FANDOMS_PER_PAGE)
    entries = [
        navigation_entry(
            request,
            path=tag_feed_path(count.tag),
            title=count.tag.name,
            text=f"{count.works:,} work{'' if count.works == 1 else 's'}",
            rel="subsection",
            kind=ACQUISITION,
        )
        for count in counts
    ]
    paging = Paging(number, FANDOMS_PER_PAGE, fandom_total(viewer))
    page = feed(request, title="Fandoms", kind=NAVIGATION, entries=entries, paging=paging)
    return _respond(render_feed(page), NAVIGATION)


@opds_view
def tag_works(request: HttpRequest, viewer: Viewer, name: str) -> HttpResponse:
    tag = access_tag(viewer, name)
    if tag.merger_id:
        return redirect(tag_feed_path(tag.merger))
    f = WorkFilter(**tag_scope(tag))
    return _works_feed(request, viewer, title=f"Works in {tag.name}", f=f)


@opds_view
def search(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:QUERY_MAX]
    f = WorkFilter(query=query, sort=Sort.BEST)
    if not f.has_text:
        page = feed(request, title="Search", kind=ACQUISITION, entries=[], paging=Paging(1, 1, 0))
        return _respond(render_feed(page), ACQUISITION)
    return _works_feed(request, viewer, title=f"Search: {query}", f=f)


def opensearch(request: HttpRequest) -> HttpResponse:
    template = request.build_absolute_uri(reverse("opds:search")) + "?q={searchTerms}"
    body = render_opensearch(
        short_name=settings.SITE_NAME,
        description=f"Search the works of {settings.SITE_NAME}.",
        template=template,
    )
    return _respond(body, "application/opensearchdescription+xml")


@opds_view
def bookmarks(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    if not viewer.is_authenticated:
        return challenge("Your bookmarks need your user name and a token from /settings/tokens.")
    return _shelf(request, bookmarked_work_ids(viewer), "Bookmarks")


@opds_view
def later(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    if not viewer.is_authenticated:
        return challenge("Marked for Later needs your user name and a token from /settings/tokens.")
    return _shelf(request, later_work_ids(viewer), "Marked for Later")


@opds_view
def download(
    request: HttpRequest, viewer: Viewer, work_id: str, title: str, extension: str
) -> HttpResponse:
    """A work's file for the catalog's reader: the same access and cache as /downloads/."""
    return work_download_response(request, viewer, int(work_id), extension)
