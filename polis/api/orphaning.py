"""Orphaning in the API: a work, a series, a pseud's works, or everything (token writes)."""

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import StrictBool

from polis.accounts.access import access_pseud
from polis.api.auth import WRITE, viewer
from polis.api.engagement.common import refusals
from polis.api.schemas import WRITE_ERRORS, ErrorOut, StrictSchema
from polis.works import orphaning
from polis.works.access import access_work_for_edit
from polis.works.series import access_series_for_edit

router = Router(tags=["orphaning"])


class OrphanIn(StrictSchema):
    keep_pseud_name: StrictBool = True


class OrphanedOut(Schema):
    orphaned_works: int
    owner: str = orphaning.ORPHAN_USERNAME


@router.post(
    "/works/{work_id}/orphan", response={200: OrphanedOut, WRITE_ERRORS: ErrorOut}, **WRITE
)
def work_orphan(request: HttpRequest, work_id: int, payload: OrphanIn) -> dict:
    """Give your part of this work to orphan_account, keeping your pseud's name or not."""
    work = access_work_for_edit(viewer(request), work_id)
    refusals(
        orphaning.work_orphan,
        actor=viewer(request),
        work=work,
        keep_pseud_name=payload.keep_pseud_name,
    )
    return {"orphaned_works": 1}


@router.post(
    "/series/{series_id}/orphan", response={200: OrphanedOut, WRITE_ERRORS: ErrorOut}, **WRITE
)
def series_orphan(request: HttpRequest, series_id: int, payload: OrphanIn) -> dict:
    """Orphan a series and your works in it."""
    actor = viewer(request)
    series = access_series_for_edit(actor, series_id)
    before = orphaning.works_of_series(actor, series)
    refusals(
        orphaning.series_orphan, actor=actor, series=series, keep_pseud_name=payload.keep_pseud_name
    )
    return {"orphaned_works": before}


@router.post(
    "/me/pseuds/{pseud}/orphan", response={200: OrphanedOut, WRITE_ERRORS: ErrorOut}, **WRITE
)
def pseud_orphan(request: HttpRequest, pseud: str, payload: OrphanIn) -> dict:
    """Orphan every work and series of one of your pseuds."""
    actor = viewer(request)
    found = access_pseud(actor, pseud)
    count = refusals(
        orphaning.pseud_orphan, actor=actor, pseud=found, keep_pseud_name=payload.keep_pseud_name
    )
    return {"orphaned_works": count}


@router.post("/me/orphan", response={200: OrphanedOut, WRITE_ERRORS: ErrorOut}, **WRITE)
def orphan_all(request: HttpRequest, payload: OrphanIn) -> dict:
    """Orphan everything you created: all your works and series."""
    count = refusals(
        orphaning.account_orphan_all,
        actor=viewer(request),
        keep_pseud_name=payload.keep_pseud_name,
    )
    return {"orphaned_works": count}
