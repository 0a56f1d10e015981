"""`/people/search` and `/tags/search`: find people and tags, with AO3's parameter names."""

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

from polis.core.pagination import paginate
from polis.search.people import PeopleQuery, people_search
from polis.search.tag_search import TagQuery, parse_canonical, tag_search, tag_work_counts
from polis.tags.models import TagType
from polis.tags.names import split_tag_field

PEOPLE_PER_PAGE = 20
TAGS_PER_PAGE = 50


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def people_query_from(params: QueryDict) -> PeopleQuery:
    return PeopleQuery(
        name=params.get("people_search[name]", "").strip(),
        fandom=params.get("people_search[fandom]", "").strip(),
    )


def people_search_page(request: HttpRequest) -> HttpResponse:
    """The form; with a name or a fandom, the pseuds found, with their visible works."""
    query = people_query_from(request.GET)
    context = {"ps": query, "page": None, "query": _query_without_page(request)}
    if query.asked:
        found = people_search(viewer=request.user, query=query)
        context.update(
            page=paginate(request, found.pseuds, per_page=PEOPLE_PER_PAGE),
            notices=found.notices,
            fandom=found.fandom,
        )
    return render(request, "search/people.html", context)


def tag_query_from(params: QueryDict) -> TagQuery:
    """AO3's `tag_search[...]`; the older `name` and `type` still read (old links)."""
    tag_type = params.get("tag_search[type]", params.get("type", "")).strip()
    return TagQuery(
        name=params.get("tag_search[name]", params.get("name", "")).strip(),
        type=tag_type if tag_type in TagType.values else "",
        canonical=parse_canonical(params.get("tag_search[canonical]", "")),
        fandoms=split_tag_field(params.get("tag_search[fandoms]", "")[:1000])[:10],
    )


def tag_search_page(request: HttpRequest) -> HttpResponse:
    """The form; with any criterion, the tags found, each with its visible works' count."""
    query = tag_query_from(request.GET)
    canonical = {True: "T", False: "F", None: ""}[query.canonical]
    context = {
        "ts": query,
        "canonical": canonical,
        "fandoms": request.GET.get("tag_search[fandoms]", "")[:1000],
        "types": TagType.choices,
        "page": None,
        "query": _query_without_page(request),
    }
    if query.asked:
        found = tag_search(viewer=request.user, query=query)
        page = paginate(request, found.tags, per_page=TAGS_PER_PAGE)
        page.object_list = list(page.object_list)
        counts = tag_work_counts(request.user, page.object_list)
        for tag in page.object_list:
            tag.visible_works = counts[tag.pk]
        context.update(page=page, notices=found.notices)
    return render(request, "search/tags.html", context)
