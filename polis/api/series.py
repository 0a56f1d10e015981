"""Series in the API: read one, list a user's, create, edit, add works, reorder, delete."""

import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictBool, StrictInt, StrictStr

from polis.accounts.access import access_user
from polis.api import output
from polis.api.auth import READ, WRITE, viewer
from polis.api.engagement.common import refusals
from polis.api.output import page_of
from polis.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    CreatorOut,
    ErrorOut,
    PageParams,
    StrictSchema,
    WorkSummaryOut,
)
from polis.downloads.links import series_download_links
from polis.search.service import series_entries
from polis.works import series as actions
from polis.works.access import access_work_for_edit
from polis.works.models import Series

router = Router(tags=["series"])


class SeriesIn(StrictSchema):
    title: StrictStr
    summary: StrictStr = ""
    notes: StrictStr = ""
    complete: StrictBool = False


class SeriesPatch(StrictSchema):
    title: StrictStr | None = None
    summary: StrictStr | None = None
    notes: StrictStr | None = None
    complete: StrictBool | None = None


class SeriesWorkIn(StrictSchema):
    work_id: StrictInt


class SeriesOrderIn(StrictSchema):
    work_ids: list[StrictInt] = Field(..., description="Every work of the series, in order.")


class SeriesPartOut(Schema):
    position: int
    work: WorkSummaryOut


class DownloadOut(Schema):
    format: str = Field(..., description="The file extension: epub, pdf, html, azw3, mobi.")
    media_type: str
    url: str


class SeriesOut(Schema):
    id: int
    title: str
    url: str
    downloads: list[DownloadOut] = Field(
        ..., description="The works you may read in the series, as one book, in each format."
    )
    creators: list[CreatorOut]
    summary: str
    notes: str
    complete: bool
    word_count: int
    works: list[SeriesPartOut]
    created_at: datetime.datetime
    updated_at: datetime.datetime


class SeriesBriefOut(Schema):
    id: int
    title: str
    url: str
    complete: bool


class SeriesPageOut(Schema):
    count: int
    page: int
    per_page: int
    results: list[SeriesBriefOut]


def series_out(request: HttpRequest, series: Series) -> dict:
    entries = series_entries(viewer=viewer(request), series=series)
    return {
        "id": series.pk,
        "title": series.title,
        "url": output.absolute(request, series.get_absolute_url()),
        "downloads": [
            {
                "format": link.extension,
                "media_type": link.media_type,
                "url": output.absolute(request, link.url),
            }
            for link in (series_download_links(series) if entries else [])
        ],
        "creators": [
            {
                "pseud": pseud.name,
                "username": pseud.user.username,
                "url": output.absolute(request, pseud.get_absolute_url()),
            }
            for pseud in actions.series_creator_pseuds(series, entries)
        ],
        "summary": series.summary,
        "notes": series.notes,
        "complete": series.complete,
        "word_count": sum(entry.work.word_count for entry in entries),
        # The entries come from the search, with the counts the caller sees already.
        "works": [
            {"position": entry.position, "work": output.work_summary(request, entry.work)}
            for entry in entries
        ],
        "created_at": series.created_at,
        "updated_at": series.updated_at,
    }


@router.get("/series/{series_id}", response={200: SeriesOut, READ_ERRORS: ErrorOut}, **READ)
def series_show(request: HttpRequest, series_id: int) -> dict:
    """A series with the works the caller may read, in order."""
    return series_out(request, actions.access_series_for_view(viewer(request), series_id))


@router.get(
    "/users/{username}/series", response={200: SeriesPageOut, READ_ERRORS: ErrorOut}, **READ
)
def user_series(request: HttpRequest, username: str, params: Query[PageParams]) -> dict:
    found = actions.series_of_user(viewer(request), access_user(username))
    count, items = page_of(found, params.page, params.per_page)
    return {
        "count": count,
        "page": params.page,
        "per_page": params.per_page,
        "results": [
            {
                "id": s.pk,
                "title": s.title,
                "url": output.absolute(request, s.get_absolute_url()),
                "complete": s.complete,
            }
            for s in items
        ],
    }


@router.post("/series", response={201: SeriesOut, WRITE_ERRORS: ErrorOut}, **WRITE)
def series_create(request: HttpRequest, payload: SeriesIn) -> Status:
    series = refusals(actions.series_create, actor=viewer(request), **payload.model_dump())
    return Status(201, series_out(request, series))


@router.patch("/series/{series_id}", response={200: SeriesOut, WRITE_ERRORS: ErrorOut}, **WRITE)
def series_update(request: HttpRequest, series_id: int, payload: SeriesPatch) -> dict:
    actor = viewer(request)
    series = actions.access_series_for_edit(actor, series_id)
    values = {
        "title": series.title,
        "summary": series.summary,
        "notes": series.notes,
        "complete": series.complete,
        **payload.model_dump(exclude_unset=True, exclude_none=True),
    }
    refusals(actions.series_update, actor=actor, series=series, **values)
    return series_out(request, series)


@router.delete("/series/{series_id}", response={204: None, WRITE_ERRORS: ErrorOut}, **WRITE)
def series_delete(request: HttpRequest, series_id: int) -> Status:
    actor = viewer(request)
    actions.series_delete(actor=actor, series=actions.access_series_for_edit(actor, series_id))
    return Status(204, None)


@router.post(
    "/series/{series_id}/works",
    response={200: SeriesOut, 201: SeriesOut, WRITE_ERRORS: ErrorOut},
    **WRITE,
)
def series_add_work(request: HttpRequest, series_id: int, payload: SeriesWorkIn) -> Status:
    """Add one of your works at the end of one of your series."""
    actor = viewer(request)
    series = actions.access_series_for_edit(actor, series_id)
    work = access_work_for_edit(actor, payload.work_id)
    _, created = refusals(actions.series_add_work, actor=actor, series=series, work=work)
    return Status(201 if created else 200, series_out(request, series))


@router.delete(
    "/series/{series_id}/works/{work_id}", response={204: None, WRITE_ERRORS: ErrorOut}, **WRITE
)
def series_remove_work(request: HttpRequest, series_id: int, work_id: int) -> Status:
    actor = viewer(request)
    series = actions.access_series_for_edit(actor, series_id)
    work = access_work_for_edit(actor, work_id)
    actions.series_remove_work(actor=actor, series=series, work=work)
    return Status(204, None)


@router.put("/series/{series_id}/order", response={200: SeriesOut, WRITE_ERRORS: ErrorOut}, **WRITE)
def series_reorder(request: HttpRequest, series_id: int, payload: SeriesOrderIn) -> dict:
    actor = viewer(request)
    series = actions.access_series_for_edit(actor, series_id)
    refusals(actions.series_reorder, actor=actor, series=series, work_ids=payload.work_ids)
    return series_out(request, series)
