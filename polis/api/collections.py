"""Collections and challenges in the API: the same access rules and actions as the pages.

One's own sign-up is in `signups`, a gift exchange's matching and assignments in `exchange`,
challenge settings and moderation in `challenges`. Each path's operations (GET, PATCH, …)
stay in one router: Django routes a path once.
"""

from typing import Literal

from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import StrictBool, StrictInt

from polis.api import output
from polis.api.auth import READ, USER_READ, WRITE, viewer
from polis.api.errors import ApiValidationError, django_errors
from polis.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    ErrorOut,
    PageParams,
    StrictSchema,
    Text,
    When,
    WorkSummaryOut,
)
from polis.api.search import WorkSearchOut, search_response
from polis.collections import access, selectors
from polis.collections.actions import collections as collection_actions
from polis.collections.actions import items, prompts
from polis.collections.actions.collections import CollectionInput, collection_reveal
from polis.collections.errors import Refused
from polis.collections.models import CollectionItem, Prompt
from polis.works.access import access_work_for_edit
from polis.works.models import Work
from polis.works.selectors import with_display_data

router = Router(tags=["collections"])


def _run(call, **kwargs):
    """An action's refusals as 403 (reason) or 400 (fields named as in the request)."""
    try:
        return call(**kwargs)
    except Refused as error:
        raise HttpError(403, str(error)) from None
    except ValidationError as error:
        renamed = [(_field(name), message) for name, message in django_errors(error)]
        raise ApiValidationError(renamed) from None


# Action field names the API spells differently.
_RENAMED = {"parent_name": "parent", "tag_set": "tag_set_id"}


def _field(name: str | None) -> str | None:
    """`request_2_fandom` → `requests[1].tags.fandom` (the request's own field names)."""
    if not name:
        return name
    if name in _RENAMED:
        return _RENAMED[name]
    parts = name.split("_", 2)
    if len(parts) == 3 and parts[0] in ("request", "offer") and parts[1].isdigit():
        rest = parts[2]
        where = rest if rest in ("title", "description", "anonymous") else f"tags.{rest}"
        return f"{parts[0]}s[{int(parts[1]) - 1}].{where}"
    return name


class CollectionOut(Schema):
    name: str
    title: str
    url: str
    parent: str | None
    description: str
    rules: str
    faq: str
    closed: bool
    moderated: bool
    anonymous: bool
    unrevealed: bool
    challenge: str | None


class WorksPageOut(Schema):
    count: int
    page: int
    per_page: int
    results: list[WorkSummaryOut]


class WorkRef(StrictSchema):
    work_id: StrictInt


class PromptOut(Schema):
    id: int
    kind: str
    position: int
    title: str
    description: str
    tags: list[str]
    any: list[str]
    by: str
    claims: int


class RevealIn(StrictSchema):
    works: StrictBool = True
    creators: StrictBool = True


def collection_out(request: HttpRequest, collection) -> dict:
    challenge = getattr(collection, "challenge", None) if hasattr(collection, "challenge") else None
    return {
        "name": collection.name,
        "title": collection.title,
        "url": output.absolute(request, collection.get_absolute_url()),
        "parent": collection.parent.name if collection.parent_id else None,
        "description": collection.description,
        "rules": collection.rules,
        "faq": collection.faq,
        "closed": collection.closed,
        "moderated": collection.moderated,
        "anonymous": collection.conceals_creators,
        "unrevealed": collection.conceals_works,
        "challenge": challenge.kind if challenge else None,
    }


def prompt_rows(prompts: QuerySet[Prompt]) -> QuerySet[Prompt]:
    """Prompts with what `_prompt_out` shows, in a fixed number of queries for any number."""
    return (
        prompts.select_related("signup__pseud")
        .prefetch_related("tags")
        .annotate(n_claims=Count("claims", distinct=True))
    )


def _prompt_out(prompt) -> dict:
    return {
        "id": prompt.pk,
        "kind": prompt.kind,
        "position": prompt.position,
        "title": prompt.title,
        "description": prompt.description,
        "tags": sorted(tag.name for tag in prompt.tags.all()),
        "any": list(prompt.any_types),
        "by": "Anonymous" if prompt.anonymous else prompt.signup.pseud.name,
        "claims": prompt.n_claims if hasattr(prompt, "n_claims") else prompt.claims.count(),
    }


@router.get("/collections/{name}", response={200: CollectionOut, READ_ERRORS: ErrorOut}, **READ)
def collection_show(request: HttpRequest, name: str) -> dict:
    return collection_out(request, access.access_collection(viewer(request), name))


@router.get(
    "/collections/{name}/works",
    response={200: WorkSearchOut, READ_ERRORS | {400}: ErrorOut},
    **READ,
)
def collection_works(request: HttpRequest, name: str, params: Query[PageParams]) -> dict:
    """The collection's approved works as its works page lists them (`work_search[...]`
    filters apply; the caller's blocklist and mutes too); anonymous works have `creators: []`."""
    collection = access.access_collection(viewer(request), name)
    return search_response(request, params, work_ids=selectors.collection_work_ids(collection))


@router.post(
    "/collections/{name}/items", response={201: CollectionOut, WRITE_ERRORS: ErrorOut}, **WRITE
)
def collection_add_work(request: HttpRequest, name: str, payload: WorkRef) -> Status:
    """Add one of your works to the collection."""
    actor = viewer(request)
    collection = access.access_collection(actor, name)
    work = access_work_for_edit(actor, payload.work_id)
    _run(items.item_add, actor=actor, collection=collection, work=work)
    return Status(201, collection_out(request, collection))


@router.get(
    "/collections/{name}/prompts", response={200: list[PromptOut], READ_ERRORS: ErrorOut}, **READ
)
def prompt_list(request: HttpRequest, name: str, tag: str | None = None) -> list[dict]:
    user = viewer(request)
    challenge = access.access_challenge(user, access.access_collection(user, name))
    found = access.visible_prompts(user, challenge).filter(kind="request")
    if tag:
        found = found.filter(tags=access.access_prompt_tag(user, found, tag))
    return [_prompt_out(p) for p in prompt_rows(found).order_by("pk")[:500]]


@router.post(
    "/collections/{name}/prompts/{prompt_id}/claim",
    response={201: PromptOut, WRITE_ERRORS: ErrorOut},
    **WRITE,
)
def prompt_claim(request: HttpRequest, name: str, prompt_id: int) -> Status:
    actor = viewer(request)
    challenge = access.access_challenge(actor, access.access_collection(actor, name))
    prompt = access.access_prompt(actor, challenge, prompt_id)
    _run(prompts.prompt_claim, actor=actor, prompt=prompt)
    return Status(201, _prompt_out(prompt))


@router.post(
    "/collections/{name}/prompts/{prompt_id}/fill",
    response={201: PromptOut, WRITE_ERRORS: ErrorOut},
    **WRITE,
)
def prompt_fill(request: HttpRequest, name: str, prompt_id: int, payload: WorkRef) -> Status:
    actor = viewer(request)
    challenge = access.access_challenge(actor, access.access_collection(actor, name))
    prompt = access.access_prompt(actor, challenge, prompt_id)
    work = access_work_for_edit(actor, payload.work_id)
    _run(prompts.prompt_fill, actor=actor, prompt=prompt, work=work)
    return Status(201, _prompt_out(prompt))


@router.post(
    "/collections/{name}/reveal", response={200: CollectionOut, WRITE_ERRORS: ErrorOut}, **WRITE
)
def reveal(request: HttpRequest, name: str, payload: RevealIn) -> dict:
    actor = viewer(request)
    collection = access.access_collection_for_edit(actor, name)
    _run(collection_reveal, actor=actor, collection=collection, **payload.model_dump())
    return collection_out(request, collection)


class CollectionPatch(StrictSchema):
    """Only the fields sent change."""

    title: Text | None = Field(None, max_length=255)
    parent: Text | None = Field(None, max_length=80, description='`""` leaves the parent.')
    description: Text | None = Field(None, description="The introduction (HTML).")
    rules: Text | None = None
    faq: Text | None = None
    closed: StrictBool | None = None
    moderated: StrictBool | None = None
    anonymous: StrictBool | None = None
    unrevealed: StrictBool | None = None
    reveal_at: When | None = None


_SETTINGS = (
    "title", "description", "rules", "faq", "closed", "moderated", "anonymous", "unrevealed",
    "reveal_at",
)  # fmt: skip


@router.patch("/collections/{name}", response={200: CollectionOut, WRITE_ERRORS: ErrorOut}, **WRITE)
def collection_update(request: HttpRequest, name: str, payload: CollectionPatch) -> dict:
    """Owners and moderators: change the settings, as on the edit page."""
    actor = viewer(request)
    collection = access.access_collection_for_edit(actor, name)
    values = {field: getattr(collection, field) for field in _SETTINGS}
    values["parent_name"] = collection.parent.name if collection.parent_id else ""
    changes = payload.model_dump(exclude_unset=True)
    if "parent" in changes:
        changes["parent_name"] = changes.pop("parent") or ""
    for field in ("title", "closed", "moderated", "anonymous", "unrevealed"):
        if field in changes and changes[field] is None:
            raise ApiValidationError([(field, "This field cannot be null.")])
    values.update({key: ("" if value is None else value) for key, value in changes.items()})
    if "reveal_at" in changes:
        values["reveal_at"] = changes["reveal_at"]
    data = CollectionInput(name=collection.name, **values)
    _run(collection_actions.collection_update, actor=actor, collection=collection, data=data)
    collection.refresh_from_db()
    return collection_out(request, collection)


class ItemOut(Schema):
    id: int
    collection: str
    status: str = Field(description="The collection's side: unreviewed, approved, rejected.")
    creator_status: str = Field(description="The creators' side (an invitation they answer).")
    work: WorkSummaryOut


class ItemsParams(PageParams):
    status: Literal["unreviewed", "approved", "rejected", "all"] = "unreviewed"


class ItemsPageOut(Schema):
    count: int
    page: int
    per_page: int
    results: list[ItemOut]


def works_by_id(rows) -> dict[int, Work]:
    """The works of these rows (items, gifts…) for their blurbs, anonymous creators blank."""
    works = with_display_data(Work.objects.filter(pk__in=[row.work_id for row in rows]))
    return {work.pk: work for work in works}


def item_page(request: HttpRequest, found, *, page: int, per_page: int) -> dict:
    """Items (ordered) with their works; creators of anonymous works are left out."""

    def render(rows) -> list[dict]:
        by_id = works_by_id(rows)
        output.viewer_counts(request, by_id.values())
        return [
            {
                "id": row.pk,
                "collection": row.collection.name,
                "status": row.collection_status,
                "creator_status": row.creator_status,
                "work": output.work_summary(request, by_id[row.work_id]),
            }
            for row in rows
        ]

    return output.paged(
        found.select_related("collection"), page=page, per_page=per_page, render=render
    )


@router.get(
    "/collections/{name}/items",
    response={200: ItemsPageOut, READ_ERRORS: ErrorOut},
    **USER_READ,
)
def collection_items(request: HttpRequest, name: str, params: Query[ItemsParams]) -> dict:
    """Owners and moderators: the works waiting for approval (or every item, by status)."""
    actor = viewer(request)
    collection = access.access_collection_for_edit(actor, name)
    # As on the items page: maintainers see every item, unrevealed works included (creators
    # of anonymous works stay blank).
    found = CollectionItem.objects.filter(collection=collection)
    if params.status != "all":
        found = found.filter(collection_status=params.status)
    return item_page(request, found, page=params.page, per_page=params.per_page)
