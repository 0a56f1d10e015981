"""Searching works with the web pages' `work_search[...]` parameters; saved searches; blocklist.

`GET /works/search` takes exactly the parameters of `/works/search` and of the filter sidebar
(`work_search[query]`, `include_work_search[fandom_ids][]`, `work_search[word_count]=>5000`…),
so a URL copied from the browser works with `/api/v1` in front. The caller's blocklist applies.
"""

import datetime

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictStr

from polis.api import output
from polis.api.auth import READ, USER_READ, WRITE, viewer
from polis.api.errors import ApiValidationError, django_errors
from polis.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    ErrorOut,
    PageParams,
    StrictSchema,
    WorkPageOut,
)
from polis.api.search_params import WorkSearchParams, refuse_unknown
from polis.search import actions
from polis.search.access import access_saved_search_for_edit, access_tag_block
from polis.search.models import SavedSearch, TagBlock
from polis.search.params import BadSearch, parse_search
from polis.search.selectors import saved_searches_of, tag_blocks_of
from polis.search.service import tag_scope, work_search
from polis.tags.access import access_tag
from polis.tags.models import Tag, TagType

router = Router(tags=["search"])

SEARCH_PREFIXES = ("work_search[", "include_work_search[", "exclude_work_search[")


class WorkSearchOut(WorkPageOut):
    notices: list[str]


class SavedSearchIn(StrictSchema):
    name: StrictStr
    query: StrictStr = Field(
        ..., description="A listing's path and query: `/tags/Fluff/works?work_search[…]=…`."
    )


class SavedSearchOut(Schema):
    id: int
    name: str
    query: str
    url: str
    created_at: datetime.datetime


class BlockIn(StrictSchema):
    tag: StrictStr


class BlockOut(Schema):
    tag: str
    type: str
    canonical: bool
    synonym_of: str | None
    url: str


def asks_for_search(request: HttpRequest) -> bool:
    return any(key.startswith(SEARCH_PREFIXES) for key in request.GET)


def search_response(
    request: HttpRequest,
    params: PageParams,
    *,
    tag: Tag | None = None,
    creator_user_id: int | None = None,
    work_ids: list[int] | None = None,
) -> dict:
    """One page of works filtered as the web pages filter, within a tag's or a user's works
    or a set of works (a collection's).

    Every listing of the API comes here, so the caller's blocklist and mutes apply to all of
    them, and the order and counts are the web listing's.
    """
    caller = viewer(request)
    try:
        parsed = parse_search(request.GET, include_restricted=caller.is_authenticated)
    except BadSearch as error:
        field = f"work_search[{error.field}]" if error.field else None
        raise ApiValidationError([(field, str(error))], detail=str(error)) from None
    f = parsed.filter
    if tag is not None:
        scope = tag_scope(tag.merger if tag.merger_id else tag)
        f.include_tags = sorted({*f.include_tags, *scope.get("include_tags", [])})
        f.direct_tags = sorted({*f.direct_tags, *scope.get("direct_tags", [])})
        f.exclude_tags = [tag_id for tag_id in f.exclude_tags if tag_id not in f.include_tags]
    f.creator_user_id = creator_user_id
    f.work_ids = work_ids
    results = work_search(
        viewer=caller,
        f=f,
        page_number=params.page,
        per_page=params.per_page,
        with_facets=False,
    )
    return {
        "count": results.total,
        "page": params.page,
        "per_page": params.per_page,
        "results": [output.work_summary(request, work) for work in results.page.object_list],
        "notices": parsed.notices,
    }


@router.get("/works/search", response={200: WorkSearchOut, READ_ERRORS | {400}: ErrorOut}, **READ)
def works_search(request: HttpRequest, params: Query[WorkSearchParams]) -> dict:
    """Works matching `work_search[...]` parameters, as on `/works/search` (400 says why not:
    a query that cannot be read, a parameter this schema does not name)."""
    refuse_unknown(request)
    return search_response(request, params)


def _refused(error: ValidationError) -> ApiValidationError:
    return ApiValidationError(django_errors(error), detail="The request was refused.")


def _saved(request: HttpRequest, saved: SavedSearch) -> dict:
    return {
        "id": saved.pk,
        "name": saved.name,
        "query": saved.query,
        "url": output.absolute(request, saved.query),
        "created_at": saved.created_at,
    }


@router.get(
    "/saved_searches", response={200: list[SavedSearchOut], READ_ERRORS: ErrorOut}, **USER_READ
)
def saved_search_list(request: HttpRequest) -> list[dict]:
    """The caller's saved searches, newest first."""
    return [_saved(request, saved) for saved in saved_searches_of(viewer(request))]


@router.post("/saved_searches", response={201: SavedSearchOut, WRITE_ERRORS: ErrorOut}, **WRITE)
def saved_search_create(request: HttpRequest, payload: SavedSearchIn) -> Status:
    """Save a listing URL (`/tags/NAME/works?…`, `/works/search?…`) under a name (at most 50)."""
    try:
        saved = actions.saved_search_create(
            actor=viewer(request), name=payload.name, query=payload.query
        )
    except ValidationError as error:
        raise _refused(error) from None
    return Status(201, _saved(request, saved))


@router.delete("/saved_searches/{saved_id}", response={204: None, WRITE_ERRORS: ErrorOut}, **WRITE)
def saved_search_delete(request: HttpRequest, saved_id: int) -> Status:
    actor = viewer(request)
    saved = access_saved_search_for_edit(actor, saved_id)
    actions.saved_search_delete(actor=actor, saved_search=saved)
    return Status(204, None)


def _block(request: HttpRequest, block: TagBlock) -> dict:
    tag = block.tag
    return {
        "tag": tag.name,
        "type": TagType(tag.type).value,
        "canonical": tag.canonical,
        "synonym_of": tag.merger.name if tag.merger_id else None,
        "url": output.absolute(request, tag.get_absolute_url()),
    }


@router.get("/blocklist", response={200: list[BlockOut], READ_ERRORS: ErrorOut}, **USER_READ)
def blocklist_show(request: HttpRequest) -> list[dict]:
    """The tags whose works are never listed for the caller."""
    return [_block(request, block) for block in tag_blocks_of(viewer(request))]


@router.post("/blocklist", response={201: BlockOut, WRITE_ERRORS: ErrorOut}, **WRITE)
def blocklist_add(request: HttpRequest, payload: BlockIn) -> Status:
    """Block a tag by name; a synonym blocks its canonical tag and everything under it."""
    try:
        block = actions.tag_block_add(actor=viewer(request), name=payload.tag)
    except ValidationError as error:
        raise _refused(error) from None
    block = tag_blocks_of(viewer(request)).get(pk=block.pk)
    return Status(201, _block(request, block))


@router.delete("/blocklist/{name}", response={204: None, WRITE_ERRORS: ErrorOut}, **WRITE)
def blocklist_remove(request: HttpRequest, name: str) -> Status:
    """`name` is escaped as in tag page URLs (`*s*` for `/`); 404 when it is not blocked."""
    actor = viewer(request)
    tag = access_tag(actor, name)
    access_tag_block(actor, tag)
    actions.tag_block_remove(actor=actor, tag=tag)
    return Status(204, None)
