"""Searching bookmarks, people and tags with the web pages' AO3 parameter names.

`GET /bookmarks/search`, `/people/search` and `/tags/search` take exactly the parameters of
the pages of the same paths (`bookmark_search[bookmarker]`, `people_search[fandom]`,
`tag_search[canonical]`…), each one named and described in the OpenAPI schema, plus `page`
and `per_page`. A parameter the endpoint does not know is refused with a 400 that names it,
so a misspelt filter never silently widens an answer.
"""

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from polis.api import output
from polis.api.auth import READ, viewer
from polis.api.engagement.bookmarks import bookmark_out
from polis.api.engagement.schemas import BookmarkOut
from polis.api.errors import ApiValidationError
from polis.api.schemas import READ_ERRORS, ErrorOut, PageParams, TagOut
from polis.engagement.bookmark_search import (
    BookmarkQuery,
    bookmark_facets,
    bookmark_search,
    names_of,
)
from polis.search.people import PeopleQuery, people_search
from polis.search.tag_search import TagQuery, tag_search, tag_work_counts
from polis.tags.models import TagType
from polis.tags.names import split_tag_field

router = Router(tags=["search"])
ERRORS = READ_ERRORS | {400}

_TAGS = "Comma-separated tag names; every one must match (a synonym finds its canonical tag)."


class BookmarkSearchParams(PageParams):
    bookmarker: str = Field(
        "", alias="bookmark_search[bookmarker]", max_length=200,
        description="A pseud's or a user's name (any case).",
    )  # fmt: skip
    rec: bool = Field(False, alias="bookmark_search[rec]", description="Recs only.")
    with_notes: bool = Field(
        False, alias="bookmark_search[with_notes]", description="Bookmarks with notes only."
    )
    bookmark_notes: str = Field(
        "", alias="bookmark_search[bookmark_notes]", max_length=200,
        description="Words of the bookmarker's notes; every one must appear.",
    )  # fmt: skip
    bookmarkable_query: str = Field(
        "", alias="bookmark_search[bookmarkable_query]", max_length=200,
        description="Words of the bookmarked work's title or of its named creators' names.",
    )  # fmt: skip
    other_tag_names: str = Field(
        "", alias="bookmark_search[other_tag_names]", max_length=1000,
        description=f"The bookmarked work's tags. {_TAGS}",
    )  # fmt: skip
    excluded_tag_names: str = Field(
        "", alias="bookmark_search[excluded_tag_names]", max_length=1000,
        description="Comma-separated tag names the bookmarked work must not carry.",
    )  # fmt: skip
    other_bookmark_tag_names: str = Field(
        "", alias="bookmark_search[other_bookmark_tag_names]", max_length=1000,
        description="Comma-separated bookmarker's tags; every one must be on the bookmark.",
    )  # fmt: skip
    excluded_bookmark_tag_names: str = Field(
        "", alias="bookmark_search[excluded_bookmark_tag_names]", max_length=1000,
        description="Comma-separated bookmarker's tags the bookmark must not have.",
    )  # fmt: skip
    tag_ids: list[int] = Field(
        [], alias="include_bookmark_search[tag_ids][]", max_length=50,
        description="Ids of the sidebar's work tags (filter set); every one must match.",
    )  # fmt: skip
    excluded_tag_ids: list[int] = Field(
        [], alias="exclude_bookmark_search[tag_ids][]", max_length=50,
        description="Ids of work tags (filter set) the bookmarked work must not carry.",
    )  # fmt: skip
    bookmark_tag_names: list[str] = Field(
        [], alias="include_bookmark_search[bookmark_tag_names][]", max_length=20,
        description="The sidebar's bookmarker's tags, one per value; every one must match.",
    )  # fmt: skip
    excluded_bookmark_tag_names_list: list[str] = Field(
        [], alias="exclude_bookmark_search[bookmark_tag_names][]", max_length=20,
        description="Bookmarker's tags, one per value, the bookmark must not have.",
    )  # fmt: skip


class PeopleSearchParams(PageParams):
    name: str = Field(
        "", alias="people_search[name]", max_length=100,
        description="Part of a pseud's or a user's name (any case).",
    )  # fmt: skip
    fandom: str = Field(
        "", alias="people_search[fandom]", max_length=150,
        description="A fandom's name: people with works in it the caller may see named.",
    )  # fmt: skip


class TagSearchParams(PageParams):
    name: str = Field(
        "", alias="tag_search[name]", max_length=150,
        description="Part of a tag's name (any case); a trailing `*` finds names starting so.",
    )  # fmt: skip
    type: TagType | None = Field(None, alias="tag_search[type]", description="The tag's type.")
    canonical: bool | None = Field(
        None, alias="tag_search[canonical]",
        description="`T`/`true`: canonical tags only; `F`/`false`: the others only.",
    )  # fmt: skip
    fandoms: str = Field(
        "", alias="tag_search[fandoms]", max_length=1000,
        description="Comma-separated fandom names: tags of any of them.",
    )  # fmt: skip


class TagCountOut(Schema):
    name: str
    count: int
    id: int | None = Field(None, description="The work tag's id (for `tag_ids`).")


class BookmarkFacetsOut(Schema):
    rating: list[TagCountOut]
    warning: list[TagCountOut]
    category: list[TagCountOut]
    fandom: list[TagCountOut]
    character: list[TagCountOut]
    relationship: list[TagCountOut]
    freeform: list[TagCountOut]
    bookmark: list[TagCountOut] = Field(..., description="The bookmarkers' own tags.")


class BookmarkSearchOut(Schema):
    count: int
    page: int
    per_page: int
    results: list[BookmarkOut]
    facets: BookmarkFacetsOut
    notices: list[str]


class PersonOut(Schema):
    pseud: str
    username: str
    url: str
    works_url: str
    work_count: int


class PeopleSearchOut(Schema):
    count: int
    page: int
    per_page: int
    results: list[PersonOut]
    notices: list[str]


class TagFoundOut(TagOut):
    work_count: int


class TagSearchOut(Schema):
    count: int
    page: int
    per_page: int
    results: list[TagFoundOut]
    notices: list[str]


def refuse_unknown(request: HttpRequest, params: type[Schema]) -> None:
    """A 400 naming every query parameter `params` does not declare."""
    known = {info.alias or name for name, info in params.model_fields.items()}
    unknown = [key for key in request.GET if key not in known]
    if unknown:
        raise ApiValidationError(
            [(key, "Unknown parameter.") for key in unknown],
            detail=f"Unknown parameter: {', '.join(unknown)}.",
        )


@router.get("/bookmarks/search", response={200: BookmarkSearchOut, ERRORS: ErrorOut}, **READ)
def bookmarks_search(request: HttpRequest, params: Query[BookmarkSearchParams]) -> dict:
    """Bookmarks the caller may see, as `/bookmarks/search` finds them, with the sidebar's
    counts (top work tags per type, top bookmarker's tags) over all the results."""
    refuse_unknown(request, BookmarkSearchParams)
    query = BookmarkQuery(
        bookmarker=params.bookmarker,
        rec=params.rec,
        with_notes=params.with_notes,
        bookmark_notes=params.bookmark_notes,
        bookmarkable_query=params.bookmarkable_query,
        other_tag_names=names_of(params.other_tag_names),
        excluded_tag_names=names_of(params.excluded_tag_names),
        tag_ids=params.tag_ids,
        excluded_tag_ids=params.excluded_tag_ids,
        bookmark_tag_names=[*names_of(params.other_bookmark_tag_names), *params.bookmark_tag_names],
        excluded_bookmark_tag_names=[
            *names_of(params.excluded_bookmark_tag_names),
            *params.excluded_bookmark_tag_names_list,
        ],
    )
    found = bookmark_search(viewer=viewer(request), query=query)
    count, rows = output.page_of(found.bookmarks, params.page, params.per_page)
    output.viewer_counts(request, [row.work for row in rows if row.work_id is not None])
    facets = bookmark_facets(found.bookmarks)
    return {
        "count": count,
        "page": params.page,
        "per_page": params.per_page,
        "results": [bookmark_out(request, row) for row in rows],
        "facets": {
            key: [{"name": i.name, "count": i.count, "id": i.tag_id} for i in items]
            for key, items in facets.items()
        },
        "notices": found.notices,
    }


@router.get("/people/search", response={200: PeopleSearchOut, ERRORS: ErrorOut}, **READ)
def people_search_api(request: HttpRequest, params: Query[PeopleSearchParams]) -> dict:
    """Pseuds by name and by fandom, as `/people/search` (a fandom counts only works the
    caller may see with their creators named). Without a name or a fandom, nobody."""
    refuse_unknown(request, PeopleSearchParams)
    query = PeopleQuery(name=params.name, fandom=params.fandom)
    if not query.asked:
        raise ApiValidationError(
            [(None, "Give people_search[name] or people_search[fandom].")],
            detail="Give people_search[name] or people_search[fandom].",
        )
    found = people_search(viewer=viewer(request), query=query)
    count, rows = output.page_of(found.pseuds, params.page, params.per_page)
    return {
        "count": count,
        "page": params.page,
        "per_page": params.per_page,
        "results": [
            {
                "pseud": pseud.name,
                "username": pseud.user.username,
                "url": output.absolute(request, pseud.get_absolute_url()),
                "works_url": output.absolute(
                    request,
                    reverse(
                        "accounts:pseud_works",
                        kwargs={"username": pseud.user.username, "pseud": pseud.name},
                    ),
                ),
                "work_count": pseud.work_count,
            }
            for pseud in rows
        ],
        "notices": found.notices,
    }


@router.get("/tags/search", response={200: TagSearchOut, ERRORS: ErrorOut}, **READ)
def tags_search_api(request: HttpRequest, params: Query[TagSearchParams]) -> dict:
    """Tags the caller may see, as `/tags/search` finds them, each with the number of works
    the caller may see listed under it."""
    refuse_unknown(request, TagSearchParams)
    query = TagQuery(
        name=params.name,
        type=params.type.value if params.type else "",
        canonical=params.canonical,
        fandoms=split_tag_field(params.fandoms)[:10],
    )
    caller = viewer(request)
    found = tag_search(viewer=caller, query=query)
    count, rows = output.page_of(
        found.tags.prefetch_related("synonyms"), params.page, params.per_page
    )
    counts = tag_work_counts(caller, rows)
    return {
        "count": count,
        "page": params.page,
        "per_page": params.per_page,
        "results": [{**output.tag_detail(request, t), "work_count": counts[t.pk]} for t in rows],
        "notices": found.notices,
    }
