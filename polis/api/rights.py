"""The account's rights in the API: delete the account, ask for and fetch data exports."""

import datetime
from typing import Literal

from django.http import FileResponse, HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import StrictBool, StrictStr

from polis.api.auth import USER_READ, WRITE, viewer
from polis.api.schemas import READ_ERRORS, WRITE_ERRORS, ErrorOut, StrictSchema
from polis.rights import exports
from polis.rights.deletion import account_delete

router = Router(tags=["account"])


class AccountDeleteIn(StrictSchema):
    works: Literal["orphan", "delete"]
    keep_pseud_name: StrictBool = True
    password: StrictStr


class ExportOut(Schema):
    id: int
    status: str
    created_at: datetime.datetime
    expires_at: datetime.datetime | None
    size: int
    download_url: str | None


def _export_out(request: HttpRequest, export) -> dict:
    ready = export.status == "ready"
    return {
        "id": export.pk,
        "status": export.status,
        "created_at": export.created_at,
        "expires_at": export.expires_at,
        "size": export.size,
        "download_url": (
            request.build_absolute_uri(f"/api/v1/me/exports/{export.pk}/download")
            if ready
            else None
        ),
    }


@router.post("/me/delete", response={204: None, WRITE_ERRORS: ErrorOut}, **WRITE)
def me_delete(request: HttpRequest, payload: AccountDeleteIn) -> Status:
    """Delete your account: orphan or delete its works. Needs your password. Every session
    and token (this one too) stops working at once."""
    user = viewer(request)
    if not user.check_password(payload.password):
        raise HttpError(403, "That is not your password.")
    account_delete(actor=user, works=payload.works, keep_pseud_name=payload.keep_pseud_name)
    return Status(204, None)


@router.post("/me/exports", response={202: ExportOut, WRITE_ERRORS: ErrorOut}, **WRITE)
def export_create(request: HttpRequest) -> Status:
    """Ask for a data export (docs/export-format.md). It is built in the background and
    announced in your inbox; one being prepared already is returned instead of a second."""
    export = exports.export_request(actor=viewer(request))
    export.refresh_from_db()
    return Status(202, _export_out(request, export))


@router.get("/me/exports", response={200: list[ExportOut], READ_ERRORS: ErrorOut}, **USER_READ)
def export_list(request: HttpRequest) -> list[dict]:
    """Your exports that still exist, newest first."""
    return [_export_out(request, e) for e in exports.exports_of(viewer(request))]


@router.get(
    "/me/exports/{export_id}/download",
    response={200: None, READ_ERRORS: ErrorOut},
    **USER_READ,
)
def export_download(request: HttpRequest, export_id: int) -> FileResponse:
    """The ZIP of one of your ready exports (for 7 days after it was made)."""
    export = exports.access_export(viewer(request), export_id)
    return FileResponse(
        exports.export_path(export).open("rb"),
        as_attachment=True,
        filename=f"export-{export.pk}.zip",
        content_type="application/zip",
    )
