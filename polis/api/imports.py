"""Imports in the API: from URLs (queued for the worker), from a file, a job's state, claiming."""

import datetime

from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import StrictBool, StrictStr

from polis.api.auth import READ, WRITE, viewer
from polis.api.engagement.common import refusals
from polis.api.schemas import READ_ERRORS, WRITE_ERRORS, ErrorOut, StrictSchema
from polis.engagement.models import CommentPermission
from polis.imports import actions
from polis.imports.access import access_claim, access_job
from polis.imports.actions import read_upload
from polis.imports.restore import NOT_RESTORED
from polis.imports.selectors import job_drafts
from polis.tags.fixed import WARNINGS, Rating

router = Router(tags=["imports"])


class OptionsIn(StrictSchema):
    pseud_id: int | None = None
    restricted: StrictBool = False
    comment_permission: StrictStr = CommentPermission.EVERYONE.value
    moderated: StrictBool = False
    rating: StrictStr = Rating.NOT_RATED.value
    warnings: list[StrictStr] = [WARNINGS[0]]
    fandom: StrictStr = "Unknown Fandom"
    language: StrictStr = "en"
    external_name: StrictStr = ""
    external_email: StrictStr = ""


class UrlImportIn(OptionsIn):
    urls: list[StrictStr]
    as_chapters: StrictBool = False


class FileImportIn(Schema):
    """Multipart form fields beside the file (the same options as the URL import)."""

    pseud_id: int | None = None
    restricted: bool = False
    comment_permission: str = CommentPermission.EVERYONE.value
    moderated: bool = False
    rating: str = Rating.NOT_RATED.value
    warnings: list[str] = [WARNINGS[0]]  # the field repeated, once per warning
    fandom: str = "Unknown Fandom"
    language: str = "en"
    external_name: str = ""
    external_email: str = ""


class DraftOut(Schema):
    id: int
    title: str
    preview_url: str


class JobOut(Schema):
    id: int
    status: str
    urls: list[str]
    as_chapters: bool
    errors: list[str]
    created_at: datetime.datetime
    finished_at: datetime.datetime | None
    drafts: list[DraftOut]


class RestoredOut(Schema):
    """What an account export ZIP restored besides its drafts, and what it does not."""

    pseuds_created: list[str]
    bookmarks_created: int
    bookmarks_already: int
    skipped: list[str]
    not_restored: list[str]


class ImportedOut(Schema):
    drafts: list[DraftOut]
    restored: RestoredOut | None = None  # an account export ZIP only


def _draft(work) -> dict:
    return {"id": work.pk, "title": work.title, "preview_url": f"/works/{work.pk}/preview"}


def _job_out(job) -> dict:
    return {
        "id": job.pk,
        "status": job.status,
        "urls": job.urls,
        "as_chapters": job.as_chapters,
        "errors": job.errors,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "drafts": [_draft(record.work) for record in job_drafts(job)],
    }


@router.post("/works/import", response={202: JobOut, WRITE_ERRORS: ErrorOut}, **WRITE)
def import_urls(request: HttpRequest, payload: UrlImportIn) -> Status:
    """Queue URLs for import; poll the job for its drafts, review and post each one."""
    data = payload.model_dump()
    urls, as_chapters = data.pop("urls"), data.pop("as_chapters")
    job = refusals(
        actions.import_urls_start,
        actor=viewer(request),
        urls=urls,
        as_chapters=as_chapters,
        options=actions.ImportOptions(**data),
    )
    return Status(202, _job_out(job))


@router.post("/works/import/file", response={201: ImportedOut, WRITE_ERRORS: ErrorOut}, **WRITE)
def import_upload(
    request: HttpRequest, file: File[UploadedFile], fields: Form[FileImportIn]
) -> Status:
    """Import one file (multipart `file`): each work it holds becomes a draft."""
    result = refusals(
        actions.import_file_result,
        actor=viewer(request),
        name=file.name or "upload",
        data=read_upload(file),
        options=actions.ImportOptions(**fields.model_dump()),
    )
    out: dict = {"drafts": [_draft(work) for work in result.works], "restored": None}
    if result.restored is not None:
        restored = result.restored
        out["restored"] = {
            "pseuds_created": restored.pseuds_created,
            "bookmarks_created": restored.bookmarks_created,
            "bookmarks_already": restored.bookmarks_already,
            "skipped": restored.skipped,
            "not_restored": [f"{what}: {why}" for what, why in NOT_RESTORED],
        }
    return Status(201, out)


@router.get("/works/import/{job_id}", response={200: JobOut, READ_ERRORS: ErrorOut}, **READ)
def import_job(request: HttpRequest, job_id: int) -> dict:
    return _job_out(access_job(viewer(request), job_id))


@router.post(
    "/works/import/claim/{token}", response={200: ImportedOut, WRITE_ERRORS: ErrorOut}, **WRITE
)
def import_claim(request: HttpRequest, token: str) -> dict:
    """Claim an archivist's imports with the token from the invitation e-mail."""
    works = refusals(
        actions.external_creator_claim, actor=viewer(request), creator=access_claim(token)
    )
    return {"drafts": [_draft(work) for work in works]}
