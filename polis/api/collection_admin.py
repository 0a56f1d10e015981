"""Collections in the API, their people and works: list, create, members, moderation, invites."""

from typing import Literal

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictBool, StrictInt

from polis.accounts.models import User
from polis.api import output
from polis.api.auth import READ, USER_READ, WRITE, viewer
from polis.api.challenges import default_challenge
from polis.api.collections import (
    CollectionOut,
    ItemOut,
    _run,
    collection_out,
    item_page,
)
from polis.api.errors import ApiValidationError
from polis.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    ErrorOut,
    PageParams,
    StrictSchema,
    Text,
    When,
)
from polis.collections import access
from polis.collections.actions import collections as actions
from polis.collections.actions import items as item_actions
from polis.collections.models import Collection, CollectionItem, Membership
from polis.works.access import access_work_for_edit, access_work_for_view

router = Router(tags=["collections"])

# Refusals an owner may read (a moderator naming a new owner): 403 with the reason.
REFUSABLE = WRITE_ERRORS | {403}


class CollectionsPageOut(Schema):
    count: int
    page: int
    per_page: int
    results: list[CollectionOut]


@router.get("/collections", response={200: CollectionsPageOut, READ_ERRORS: ErrorOut}, **READ)
def collection_list(request: HttpRequest, params: Query[PageParams]) -> dict:
    """Top-level collections by title, as on the collections page."""
    found = (
        access.listed_collections(viewer(request)).filter(parent=None).select_related("challenge")
    )
    return output.paged(
        found,
        page=params.page,
        per_page=params.per_page,
        render=lambda rows: [collection_out(request, c) for c in rows],
    )


class CollectionIn(StrictSchema):
    name: Text = Field(..., max_length=80, description="Letters, digits and underscores.")
    title: Text = Field(..., max_length=255)
    parent: Text | None = Field(None, max_length=80, description="Make it a sub-collection.")
    description: Text = Field("", description="The introduction (HTML).")
    rules: Text = ""
    faq: Text = ""
    closed: StrictBool = False
    moderated: StrictBool = False
    anonymous: StrictBool = False
    unrevealed: StrictBool = False
    reveal_at: When | None = None
    challenge: Literal["none", "prompt_meme", "gift_exchange"] = Field(
        "none", description="Set the challenge up with the settings page's defaults."
    )


@router.post("/collections", response={201: CollectionOut, WRITE_ERRORS: ErrorOut}, **WRITE)
def collection_create(request: HttpRequest, payload: CollectionIn) -> Status:
    """Create a collection (you become its owner), optionally with a challenge."""
    actor = viewer(request)
    values = payload.model_dump()
    kind = values.pop("challenge")
    values["parent_name"] = values.pop("parent") or ""
    collection = _run(
        actions.collection_create,
        actor=actor,
        data=actions.CollectionInput(**values),
        challenge=default_challenge(kind) if kind != "none" else None,
    )
    collection = access.access_collection(actor, collection.name)
    return Status(201, collection_out(request, collection))


# --- people ---------------------------------------------------------------------------------


class MemberOut(Schema):
    username: str
    role: str


class MemberIn(StrictSchema):
    username: Text = Field(..., max_length=150)
    role: Literal["owner", "moderator", "member"]


def _members(collection: Collection) -> list[dict]:
    found = Membership.objects.filter(collection=collection).select_related("user")
    return [{"username": m.user.username, "role": m.role} for m in found]


@router.get(
    "/collections/{name}/members",
    response={200: list[MemberOut], READ_ERRORS: ErrorOut},
    **USER_READ,
)
def member_list(request: HttpRequest, name: str) -> list[dict]:
    """Owners and moderators: everyone with a role in the collection."""
    return _members(access.access_collection_for_edit(viewer(request), name))


@router.post(
    "/collections/{name}/members", response={200: list[MemberOut], REFUSABLE: ErrorOut}, **WRITE
)
def member_set(request: HttpRequest, name: str, payload: MemberIn) -> list[dict]:
    """Add someone or change their role; only owners name owners and moderators (403)."""
    actor = viewer(request)
    collection = access.access_collection_for_edit(actor, name)
    user = User.objects.filter(username__iexact=payload.username).first()
    if user is None:
        raise ApiValidationError([("username", "There is no user with that name.")])
    _run(actions.membership_set, actor=actor, collection=collection, user=user, role=payload.role)
    return _members(collection)


@router.delete(
    "/collections/{name}/members/{username}",
    response={204: None, REFUSABLE: ErrorOut},
    **WRITE,
)
def member_remove(request: HttpRequest, name: str, username: str) -> Status:
    """Maintainers remove someone (only owners remove owners); anyone may leave."""
    actor = viewer(request)
    if username.casefold() == actor.username.casefold():
        collection = access.access_collection(actor, name)
    else:
        collection = access.access_collection_for_edit(actor, name)
    membership = (
        Membership.objects.filter(collection=collection, user__username__iexact=username)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise Http404("No such member.")
    _run(actions.membership_remove, actor=actor, collection=collection, user=membership.user)
    return Status(204, None)


# --- works: moderation and invitations --------------------------------------------------------


def _moderated_item(request: HttpRequest, name: str, item_id: int):
    actor = viewer(request)
    collection = access.access_collection_for_edit(actor, name)
    item = access.access_item_for_moderation(actor, item_id)
    if item.collection_id != collection.pk:
        raise Http404("No such item.")
    return actor, item


def _one_item(request: HttpRequest, item: CollectionItem) -> dict:
    found = CollectionItem.objects.filter(pk=item.pk)
    return item_page(request, found, page=1, per_page=1)["results"][0]


@router.post(
    "/collections/{name}/items/{item_id}/{decision}",
    response={200: ItemOut, WRITE_ERRORS: ErrorOut},
    **WRITE,
)
def item_review(
    request: HttpRequest, name: str, item_id: int, decision: Literal["approve", "reject"]
) -> dict:
    """Owners and moderators approve or reject a work waiting for the collection."""
    actor, item = _moderated_item(request, name, item_id)
    _run(item_actions.item_review, actor=actor, item=item, approve=decision == "approve")
    return _one_item(request, item)


@router.delete(
    "/collections/{name}/items/{item_id}", response={204: None, WRITE_ERRORS: ErrorOut}, **WRITE
)
def item_remove(request: HttpRequest, name: str, item_id: int) -> Status:
    """Owners and moderators take a work out of the collection."""
    actor, item = _moderated_item(request, name, item_id)
    _run(item_actions.item_remove, actor=actor, item=item)
    return Status(204, None)


class WorkRef(StrictSchema):
    work_id: StrictInt


@router.post(
    "/collections/{name}/invitations", response={201: ItemOut, WRITE_ERRORS: ErrorOut}, **WRITE
)
def item_invite(request: HttpRequest, name: str, payload: WorkRef) -> Status:
    """Owners and moderators invite a posted work; its creators accept or decline."""
    actor = viewer(request)
    collection = access.access_collection_for_edit(actor, name)
    try:
        work = access_work_for_view(actor, payload.work_id)
    except Http404:
        raise ApiValidationError([("work_id", "There is no posted work with that id.")]) from None
    item = _run(item_actions.item_invite, actor=actor, collection=collection, work=work)
    return Status(201, _one_item(request, item))


class WorkItemOut(Schema):
    id: int
    collection: str
    status: str
    creator_status: str


def _work_items(work) -> list[dict]:
    found = work.collection_items.select_related("collection").order_by("collection__name")
    return [
        {
            "id": item.pk,
            "collection": item.collection.name,
            "status": item.collection_status,
            "creator_status": item.creator_status,
        }
        for item in found
    ]


@router.get(
    "/works/{work_id}/collections",
    response={200: list[WorkItemOut], READ_ERRORS: ErrorOut},
    **USER_READ,
)
def work_items(request: HttpRequest, work_id: int) -> list[dict]:
    """Creators: the work's collections and invitations, with both sides' answers."""
    return _work_items(access_work_for_edit(viewer(request), work_id))


def _creator_item(request: HttpRequest, work_id: int, item_id: int):
    actor = viewer(request)
    work = access_work_for_edit(actor, work_id)
    item = access.access_item_for_creator(actor, item_id)
    if item.work_id != work.pk:
        raise Http404("No such item.")
    return actor, work, item


@router.post(
    "/works/{work_id}/collections/{item_id}/{decision}",
    response={200: list[WorkItemOut], WRITE_ERRORS: ErrorOut},
    **WRITE,
)
def item_respond(
    request: HttpRequest, work_id: int, item_id: int, decision: Literal["accept", "decline"]
) -> list[dict]:
    """Creators accept or decline a collection's invitation."""
    actor, work, item = _creator_item(request, work_id, item_id)
    _run(item_actions.item_respond, actor=actor, item=item, approve=decision == "accept")
    return _work_items(work)


@router.delete(
    "/works/{work_id}/collections/{item_id}",
    response={200: list[WorkItemOut], WRITE_ERRORS: ErrorOut},
    **WRITE,
)
def item_leave(request: HttpRequest, work_id: int, item_id: int) -> list[dict]:
    """Creators take their work out of a collection."""
    actor, work, item = _creator_item(request, work_id, item_id)
    _run(item_actions.item_remove, actor=actor, item=item)
    return _work_items(work)
