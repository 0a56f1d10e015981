"""Gifts in the API: a work's gifts for its creators, a user's gifts received, refusing one."""

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import StrictStr

from polis.accounts.access import access_user
from polis.api import output
from polis.api.auth import READ, USER_READ, WRITE, viewer
from polis.api.collections import _run, works_by_id
from polis.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    ErrorOut,
    PageParams,
    StrictSchema,
    WorkSummaryOut,
)
from polis.collections import access
from polis.collections.actions import gifts
from polis.collections.models import Gift
from polis.works.access import access_work_for_edit, visible_works

router = Router(tags=["collections"])


class GiftIn(StrictSchema):
    recipient: StrictStr


class GiftOut(Schema):
    id: int
    work_id: int
    recipient: str
    refused: bool


def _gift_out(gift: Gift) -> dict:
    return {
        "id": gift.pk,
        "work_id": gift.work_id,
        "recipient": gift.display_name,
        "refused": gift.refused,
    }


@router.get(
    "/works/{work_id}/gifts", response={200: list[GiftOut], READ_ERRORS: ErrorOut}, **USER_READ
)
def gift_list(request: HttpRequest, work_id: int) -> list[dict]:
    """Creators: whom the work is given to, refused gifts included."""
    work = access_work_for_edit(viewer(request), work_id)
    return [_gift_out(gift) for gift in work.gifts.select_related("recipient")]


@router.post("/works/{work_id}/gifts", response={201: GiftOut, WRITE_ERRORS: ErrorOut}, **WRITE)
def gift_create(request: HttpRequest, work_id: int, payload: GiftIn) -> Status:
    actor = viewer(request)
    work = access_work_for_edit(actor, work_id)
    gift = _run(gifts.gift_add, actor=actor, work=work, recipient=payload.recipient)
    return Status(
        201,
        {"id": gift.pk, "work_id": work.pk, "recipient": gift.display_name, "refused": False},
    )


@router.delete(
    "/works/{work_id}/gifts/{gift_id}", response={204: None, WRITE_ERRORS: ErrorOut}, **WRITE
)
def gift_remove(request: HttpRequest, work_id: int, gift_id: int) -> Status:
    """Creators take back a gift (a refused gift stays, so it stays refused)."""
    actor = viewer(request)
    work = access_work_for_edit(actor, work_id)
    gift = work.gifts.filter(pk=gift_id).first()
    if gift is None:
        raise Http404("No such gift.")
    _run(gifts.gift_remove, actor=actor, gift=gift)
    return Status(204, None)


@router.post("/gifts/{gift_id}/refuse", response={200: GiftOut, WRITE_ERRORS: ErrorOut}, **WRITE)
def gift_refuse(request: HttpRequest, gift_id: int) -> dict:
    actor = viewer(request)
    gift = _run(
        gifts.gift_refuse, actor=actor, gift=access.access_gift_for_recipient(actor, gift_id)
    )
    return {"id": gift.pk, "work_id": gift.work_id, "recipient": gift.display_name, "refused": True}


class ReceivedOut(Schema):
    id: int
    refused: bool
    work: WorkSummaryOut


class ReceivedPageOut(Schema):
    count: int
    page: int
    per_page: int
    results: list[ReceivedOut]


@router.get(
    "/users/{username}/gifts", response={200: ReceivedPageOut, READ_ERRORS: ErrorOut}, **READ
)
def user_gifts(request: HttpRequest, username: str, params: Query[PageParams]) -> dict:
    """Works given to a user that they did not refuse (refused ones only to themselves);
    unrevealed works are left out and creators of anonymous works are blank."""
    user = viewer(request)
    recipient = access_user(username)
    found = Gift.objects.filter(recipient=recipient)
    if not (user.is_authenticated and user.pk == recipient.pk):
        found = found.filter(refused=False)
    works = visible_works(user)
    found = found.filter(work__in=works).order_by("-created_at", "-pk")

    def render(rows) -> list[dict]:
        by_id = works_by_id(rows)
        output.viewer_counts(request, by_id.values())
        return [
            {
                "id": g.pk,
                "refused": g.refused,
                "work": output.work_summary(request, by_id[g.work_id]),
            }
            for g in rows
        ]

    return output.paged(found, page=params.page, per_page=params.per_page, render=render)
