"""Tags: what a tag is and how it relates to others, its works, and wrangling it."""

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from pydantic import StrictBool, StrictStr

from polis.api import output
from polis.api.auth import READ, USER_READ, WRITE, viewer
from polis.api.errors import ApiValidationError
from polis.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    ErrorOut,
    PageParams,
    StrictSchema,
    TagOut,
)
from polis.api.search import WorkSearchOut, search_response
from polis.tags.access import access_tag
from polis.tags.forms import UNCHANGED, TagChangeRefused, TagChanges, tag_changes_apply
from polis.tags.models import Tag, TagType
from polis.tags.names import split_tag_field, tag_key
from polis.tags.selectors import (
    tag_children,
    tag_links,
    tag_named,
    tags_named,
    tags_search,
    unwrangled_tags,
)
from polis.tags.wrangling import (
    WRANGLING_OFF,
    can_wrangle,
    tags_bulk_wrangle,
    wrangling_paused_for,
)

router = Router(tags=["tags"])


class BinType(StrEnum):
    FANDOM = TagType.FANDOM.value
    CHARACTER = TagType.CHARACTER.value
    RELATIONSHIP = TagType.RELATIONSHIP.value
    FREEFORM = TagType.FREEFORM.value


class BulkAction(StrEnum):
    CANONICAL = "canonical"
    SYNONYM = "synonym"
    PARENT = "parent"


# Steps of an edit → the request field a refusal is reported against.
_FIELDS = {
    "add_parents": "parents",
    "remove_parents": "parents",
    "add_meta_tags": "meta_tags",
    "remove_meta_tags": "meta_tags",
}


class TagDetailOut(TagOut):
    parents: list[str] = Field(..., description="Parent tags (a fandom of a character, …).")
    children: list[str] = Field(..., description="Tags this one is the parent of.")
    meta_tags: list[str] = Field(..., description="Direct meta tags (broader tags).")
    sub_tags: list[str] = Field(..., description="Direct sub tags (narrower tags).")


class TagPatch(StrictSchema):
    """Only the fields sent change; lists are the complete new list (add/remove to match)."""

    name: StrictStr | None = Field(None, description="Rename the tag.")
    canonical: StrictBool | None = None
    synonym_of: StrictStr | None = Field(
        None, description="The canonical tag this one means; `null` removes the synonym."
    )
    parents: list[StrictStr] | None = None
    meta_tags: list[StrictStr] | None = None


def _names(tags: list[Tag]) -> list[str]:
    return [tag.name for tag in tags]


def _detail(request: HttpRequest, tag: Tag) -> dict:
    links = tag_links(tag)
    return {
        **output.tag_detail(request, tag),
        "parents": _names(links.parents),
        "children": _names(tag_children(tag)),
        "meta_tags": _names(links.meta_tags),
        "sub_tags": _names(links.sub_tags),
    }


def _list(values: list[str], field: str) -> list[str]:
    """Names as typed, normalised; a name with a comma would be two names, so it is refused."""
    names = []
    for index, value in enumerate(values):
        split = split_tag_field(value)
        if len(split) != 1:
            raise ApiValidationError([(f"{field}[{index}]", "Give one tag name per item.")])
        names.append(split[0])
    return names


def _to_match(current: list[Tag], wanted: list[str]) -> tuple[list[str], list[str]]:
    """What to add and what to remove so that `current` becomes `wanted` (names, any case)."""
    have = {tag.key: tag.name for tag in current}
    want = {tag_key(name): name for name in wanted}
    add = [name for key, name in want.items() if key not in have]
    remove = [name for key, name in have.items() if key not in want]
    return add, remove


class TagListOut(Schema):
    count: int
    page: int
    per_page: int
    results: list[TagOut]


class TagSearchParams(PageParams):
    name: str = Field(..., min_length=1, max_length=150, description="Part of a tag's name.")
    type: TagType | None = Field(None, description="Only tags of this type.")


class BinParams(PageParams):
    type: BinType = Field(BinType.CHARACTER, description="Which bin.")
    fandom: str | None = Field(
        None, max_length=150, description="Only tags used on works of this canonical fandom."
    )


class BulkWrangleIn(StrictSchema):
    """One action on many tags of a bin, all done or none (as the bins' bulk form)."""

    tags: list[StrictStr] = Field(..., min_length=1, max_length=200)
    action: BulkAction
    target: StrictStr | None = Field(
        None, description="The canonical tag for `synonym`, the parent for `parent`."
    )


class BulkWrangleOut(Schema):
    wrangled: list[TagOut]


def _tag_page(request: HttpRequest, tags, params: PageParams) -> dict:
    return output.paged(
        tags.prefetch_related("synonyms"),
        page=params.page,
        per_page=params.per_page,
        render=lambda rows: [output.tag_detail(request, tag) for tag in rows],
    )


def _require_wrangler(request: HttpRequest) -> None:
    if not can_wrangle(viewer(request)):
        raise PermissionDenied("Only tag wranglers can do this.")
    if wrangling_paused_for(viewer(request)):
        raise HttpError(503, WRANGLING_OFF)


@router.get("/tags", response={200: TagListOut, READ_ERRORS: ErrorOut}, **READ)
def tag_search(request: HttpRequest, params: Query[TagSearchParams]) -> dict:
    """Tags whose name contains `name`, canonical tags first (as /tags/search)."""
    tags = tags_search(
        viewer=viewer(request),
        name=params.name,
        tag_type=params.type.value if params.type else None,
    )
    return _tag_page(request, tags, params)


@router.get(
    "/tags/unwrangled", response={200: TagListOut, READ_ERRORS | {403}: ErrorOut}, **USER_READ
)
def tag_bin(request: HttpRequest, params: Query[BinParams]) -> dict:
    """An unwrangled bin (tag wranglers only), busiest tags first, as /tags/unwrangled."""
    _require_wrangler(request)
    fandom = None
    if params.fandom:
        fandom = tag_named(params.fandom)
        if fandom is None or fandom.type != TagType.FANDOM or not fandom.canonical:
            raise ApiValidationError([("fandom", "Name a canonical fandom.")])
    tags = unwrangled_tags(tag_type=params.type.value, fandom=fandom).select_related("merger")
    return _tag_page(request, tags, params)


@router.post(
    "/tags/unwrangled", response={200: BulkWrangleOut, WRITE_ERRORS | {403}: ErrorOut}, **WRITE
)
def tag_bin_wrangle(request: HttpRequest, payload: BulkWrangleIn) -> dict:
    """Make many tags canonical, synonyms of `target`, or children of `target` (tag wranglers
    only). Every refusal is reported, per tag, and then nothing at all is changed."""
    _require_wrangler(request)
    named = tags_named(payload.tags)
    errors = [
        (f"tags[{index}]", f"There is no tag named “{name}”.")
        for index, name in enumerate(payload.tags)
        if tag_key(name) not in named
    ]
    target = None
    if payload.action != BulkAction.CANONICAL:
        target = tag_named(payload.target or "")
        if target is None:
            errors.append(("target", "Name an existing tag."))
    if errors:
        raise ApiValidationError(errors, detail="The request was refused; nothing was changed.")
    tags = list({tag.pk: tag for tag in named.values()}.values())
    refusals = tags_bulk_wrangle(
        actor=viewer(request), tags=tags, action=payload.action.value, target=target
    )
    if refusals:
        raise ApiValidationError(
            [("tags", f"{r.tag.name}: {message}") for r in refusals for message in r.messages],
            detail="The change was refused; nothing was changed.",
        )
    fresh = (
        Tag.objects.filter(pk__in=[tag.pk for tag in tags])
        .select_related("merger")
        .prefetch_related("synonyms")
    )
    return {"wrangled": [output.tag_detail(request, tag) for tag in fresh.order_by("key")]}


@router.get("/tags/{name}", response={200: TagDetailOut, READ_ERRORS: ErrorOut}, **READ)
def tag_show(request: HttpRequest, name: str) -> dict:
    """`name` is escaped as in tag page URLs: `*s*` for `/`, `*a*` for `&`, `*d*` for `.`."""
    return _detail(request, access_tag(viewer(request), name))


@router.patch("/tags/{name}", response={200: TagDetailOut, WRITE_ERRORS | {403}: ErrorOut}, **WRITE)
def tag_update(request: HttpRequest, name: str, payload: TagPatch) -> dict:
    """Wrangle a tag (tag wranglers only). All the changes are made, or none is."""
    actor = viewer(request)
    if not can_wrangle(actor):
        raise PermissionDenied("Only tag wranglers can change tags.")
    if wrangling_paused_for(actor):
        raise HttpError(503, WRANGLING_OFF)
    tag = access_tag(actor, name)
    sent = payload.model_dump(exclude_unset=True)
    links = tag_links(tag)
    changes = TagChanges(
        name=sent.get("name"),
        canonical=sent.get("canonical"),
        synonym_of=(sent["synonym_of"] or "") if "synonym_of" in sent else UNCHANGED,
    )
    if sent.get("parents") is not None:
        wanted = _list(sent["parents"], "parents")
        changes.add_parents, changes.remove_parents = _to_match(links.parents, wanted)
    if sent.get("meta_tags") is not None:
        wanted = _list(sent["meta_tags"], "meta_tags")
        changes.add_meta_tags, changes.remove_meta_tags = _to_match(links.meta_tags, wanted)
    try:
        tag = tag_changes_apply(actor=actor, tag=tag, changes=changes)
    except TagChangeRefused as refusal:
        field = _FIELDS.get(refusal.field, refusal.field)
        raise ApiValidationError(
            [(field, message) for message in refusal.messages],
            detail="The change was refused; nothing was changed.",
        ) from None
    return _detail(request, tag)


@router.get(
    "/tags/{name}/works", response={200: WorkSearchOut, READ_ERRORS | {400}: ErrorOut}, **READ
)
def tag_works(request: HttpRequest, name: str, params: Query[PageParams]) -> dict:
    """Works under the tag as its page lists them: a canonical tag with its synonyms and sub
    tags, a synonym as its canonical tag; `work_search[...]` filters apply within it."""
    return search_response(request, params, tag=access_tag(viewer(request), name))
