"""Scheduled posting in the API: post a draft work or a draft chapter at a chosen time."""

import datetime

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import AwareDatetime

from polis.api.auth import WRITE
from polis.api.errors import ApiValidationError, django_errors
from polis.api.schemas import WRITE_ERRORS, ErrorOut, StrictSchema
from polis.works.access import access_chapter_for_edit, access_work_for_edit
from polis.works.scheduling import chapter_schedule, work_schedule

router = Router(tags=["works"])


class ScheduleIn(StrictSchema):
    scheduled_at: AwareDatetime | None = Field(
        ..., description="When the worker posts it (with a time zone); null: not scheduled."
    )


class ScheduleOut(Schema):
    work_id: int
    chapter_id: int | None
    scheduled_at: datetime.datetime | None
    posted: bool


def _call(change) -> object:
    try:
        return change()
    except ValidationError as error:
        raise ApiValidationError(django_errors(error)) from None


@router.put(
    "/works/{work_id}/schedule", response={200: ScheduleOut, WRITE_ERRORS: ErrorOut}, **WRITE
)
def work_schedule_set(request: HttpRequest, work_id: int, payload: ScheduleIn) -> dict:
    """Post this draft at `scheduled_at` (subscribers are told then), or unschedule it."""
    work = access_work_for_edit(request.auth, work_id)
    work = _call(lambda: work_schedule(actor=request.auth, work=work, at=payload.scheduled_at))
    return {
        "work_id": work.pk,
        "chapter_id": None,
        "scheduled_at": work.scheduled_at,
        "posted": work.posted,
    }


@router.put(
    "/works/{work_id}/chapters/{chapter_id}/schedule",
    response={200: ScheduleOut, WRITE_ERRORS: ErrorOut},
    **WRITE,
)
def chapter_schedule_set(
    request: HttpRequest, work_id: int, chapter_id: int, payload: ScheduleIn
) -> dict:
    """Post this draft chapter at `scheduled_at`, or unschedule it."""
    work = access_work_for_edit(request.auth, work_id)
    chapter = access_chapter_for_edit(request.auth, work, chapter_id)
    chapter = _call(
        lambda: chapter_schedule(actor=request.auth, chapter=chapter, at=payload.scheduled_at)
    )
    return {
        "work_id": work.pk,
        "chapter_id": chapter.pk,
        "scheduled_at": chapter.scheduled_at,
        "posted": chapter.posted,
    }
