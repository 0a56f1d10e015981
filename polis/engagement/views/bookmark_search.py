"""`/bookmarks/search`: the bookmark search form, its results and its sidebar (AO3's names)."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

from polis.core.pagination import paginate
from polis.engagement.bookmark_search import (
    SIDEBAR_TYPES,
    BookmarkQuery,
    bookmark_facets,
    bookmark_search,
    names_of,
)
from polis.tags.models import TagType

P = "bookmark_search"
INCLUDE, EXCLUDE = "include_bookmark_search", "exclude_bookmark_search"
TRUE = {"1", "t", "true", "yes", "on"}


def _ids(values: list[str]) -> list[int]:
    return sorted({int(v) for v in values[:50] if v.isascii() and v.isdigit() and len(v) < 18})


def query_from_params(params: QueryDict) -> BookmarkQuery:
    """The page's parameters (those of the form and of the sidebar) as a query; a value
    that cannot be read is left out, as the works search does."""

    def text(name: str) -> str:
        return params.get(f"{P}[{name}]", "").strip()

    return BookmarkQuery(
        bookmarker=text("bookmarker"),
        rec=text("rec").lower() in TRUE,
        with_notes=text("with_notes").lower() in TRUE,
        bookmark_notes=text("bookmark_notes"),
        bookmarkable_query=text("bookmarkable_query"),
        other_tag_names=names_of(text("other_tag_names")),
        excluded_tag_names=names_of(text("excluded_tag_names")),
        tag_ids=_ids(params.getlist(f"{INCLUDE}[tag_ids][]")),
        excluded_tag_ids=_ids(params.getlist(f"{EXCLUDE}[tag_ids][]")),
        bookmark_tag_names=[
            *names_of(text("other_bookmark_tag_names")),
            *params.getlist(f"{INCLUDE}[bookmark_tag_names][]")[:20],
        ],
        excluded_bookmark_tag_names=[
            *names_of(text("excluded_bookmark_tag_names")),
            *params.getlist(f"{EXCLUDE}[bookmark_tag_names][]")[:20],
        ],
    )


def bookmark_search_page(request: HttpRequest) -> HttpResponse:
    """The form; with any parameter, the results and the sidebar's counts of them."""
    query = query_from_params(request.GET)
    context = {
        "bs": {
            key[len(P) + 1 : -1]: value
            for key, value in request.GET.items()
            if key.startswith(P + "[")
        },
        "query_obj": query,
        "page": None,
    }
    if query.asked or "commit" in request.GET:
        found = bookmark_search(viewer=request.user, query=query)
        page = paginate(request, found.bookmarks, per_page=settings.POLIS_WORKS_PER_PAGE)
        facets = bookmark_facets(found.bookmarks)
        params = request.GET.copy()
        params.pop("page", None)
        context.update(
            page=page,
            notices=found.notices,
            query=params.urlencode(),
            facets=[
                (TagType(tag_type).label, facets[tag_type])
                for tag_type in SIDEBAR_TYPES
                if facets[tag_type]
            ],
            bookmark_facets=facets["bookmark"],
            included_ids=set(query.tag_ids),
            excluded_ids=set(query.excluded_tag_ids),
            included_names={name.lower() for name in query.bookmark_tag_names},
            excluded_names={name.lower() for name in query.excluded_bookmark_tag_names},
        )
    return render(request, "search/bookmarks.html", context)
