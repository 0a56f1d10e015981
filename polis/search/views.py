"""Listing pages with AO3's filter sidebar, and the work search page.

`listing` is the one view helper behind every page that lists works (tags, users, pseuds,
collections, search): it parses the sidebar's filters, adds the page's scope and renders
one page of `work_search`. `sidebar_context` is what the sidebar template needs.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from polis.core.pagination import page_number
from polis.search.params import BadSearch, ParsedSearch, parse_search
from polis.search.query import SORT_LABELS, Sort
from polis.search.service import work_search
from polis.works.languages import LANGUAGES

SEARCH_PREFIXES = ("work_search[", "include_work_search[", "exclude_work_search[")


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def listing(
    request: HttpRequest,
    *,
    template: str,
    context: dict,
    include_tags: list[int] | None = None,
    direct_tags: list[int] | None = None,
    creator_user_id: int | None = None,
    creator_pseud_id: int | None = None,
    work_ids: list[int] | None = None,
) -> HttpResponse:
    """Filter, sort and page works within a base scope: a tag, a user, a pseud, a set of
    works (a collection's items), or all. Pages past the end are empty, not errors."""
    try:
        parsed = parse_search(request.GET, include_restricted=request.user.is_authenticated)
    except BadSearch as error:
        context = {**context, "search_error": str(error), "page": None, "facets": []}
        return render(request, template, sidebar_context(request, None, context), status=400)
    f = parsed.filter
    f.include_tags = sorted(set(f.include_tags) | set(include_tags or []))
    f.exclude_tags = [tag for tag in f.exclude_tags if tag not in f.include_tags]
    f.direct_tags = sorted(set(f.direct_tags) | set(direct_tags or []))
    f.creator_user_id = creator_user_id
    f.creator_pseud_id = creator_pseud_id
    f.work_ids = work_ids
    number = page_number(request.GET.get("page"))
    results = work_search(viewer=request.user, f=f, page_number=number, blurbs=True)
    context = {
        **context,
        "page": results.page,
        "facets": results.facets,
        "notices": parsed.notices,
        "blocked_tags": results.blocked_tags,
        "save_query": _save_query(request),
    }
    return render(request, template, sidebar_context(request, parsed, context))


def _save_query(request: HttpRequest) -> str:
    """What "Save this search" keeps: this listing's path and query, without the page."""
    query = _query_without_page(request)
    return request.get_full_path().split("?", 1)[0] + (f"?{query}" if query else "")


class _Asked(dict):
    """The sidebar's asked values; a field not asked is "" (a template's failed lookup on a
    dict costs a `dir()`, and the language menu asks once per language)."""

    def __missing__(self, key: str) -> str:
        return ""


def sidebar_context(request: HttpRequest, parsed: ParsedSearch | None, context: dict) -> dict:
    """`context` plus what the filter sidebar shows: the parsed filters, sorts, languages."""
    return {
        **context,
        "parsed": parsed,
        "ws": _Asked(
            (key[len("work_search[") : -1], value)
            for key, value in request.GET.items()
            if key.startswith("work_search[") and key.endswith("]")
        ),
        "included_ids": parsed.included_ids if parsed else set(),
        "excluded_ids": parsed.excluded_ids if parsed else set(),
        "sort_choices": [(sort.value, SORT_LABELS[sort]) for sort in SORT_LABELS],
        "current_sort": parsed.filter.sort.value if parsed else Sort.REVISED.value,
        "languages": LANGUAGES,
        "query": _query_without_page(request),
    }


def work_search_page(request: HttpRequest) -> HttpResponse:
    """`/works/search`: the search form, and results once anything is asked."""
    asked = any(key.startswith(SEARCH_PREFIXES) for key in request.GET)
    if not asked:
        return render(request, "search/search.html", sidebar_context(request, None, {}))
    return listing(request, template="search/search.html", context={"asked": True})
