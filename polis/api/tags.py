"""Tags: what a tag is, and the works filed under it."""

from django.http import HttpRequest
from ninja import Query, Router

from polis.api import output
from polis.api.auth import READ, viewer
from polis.api.schemas import READ_ERRORS, ErrorOut, PageParams, TagOut, WorkPageOut
from polis.api.works import tag_filter_ids
from polis.tags.access import access_tag
from polis.works.selectors import works_tagged

router = Router(tags=["tags"])


@router.get("/tags/{name}", response={200: TagOut, READ_ERRORS: ErrorOut}, **READ)
def tag_show(request: HttpRequest, name: str) -> dict:
    """`name` is escaped as in tag page URLs: `*s*` for `/`, `*a*` for `&`, `*d*` for `.`."""
    return output.tag_detail(request, access_tag(name))


@router.get("/tags/{name}/works", response={200: WorkPageOut, READ_ERRORS: ErrorOut}, **READ)
def tag_works(request: HttpRequest, name: str, params: Query[PageParams]) -> dict:
    """Works under the tag; a canonical tag includes its synonyms, a synonym its canonical."""
    works = works_tagged(viewer=viewer(request), tag_ids=tag_filter_ids(access_tag(name)))
    return output.work_page(request, works, page=params.page, per_page=params.per_page)
