"""Work skins: the caller's own skins, and choosing one on a work they created."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import StrictInt, StrictStr

from polis.api.auth import USER_READ, WRITE, viewer
from polis.api.errors import ApiValidationError, django_errors
from polis.api.schemas import READ_ERRORS, WRITE_ERRORS, ErrorOut, StrictSchema
from polis.works import skins
from polis.works.access import access_work_for_edit

router = Router(tags=["skins"])


class SkinOut(Schema):
    id: int
    title: str
    description: str
    css: str = Field(..., description="The CSS as saved: cleaned and scoped under #workskin.")


class SkinIn(StrictSchema):
    title: StrictStr
    css: StrictStr
    description: StrictStr = ""


class SkinPatch(StrictSchema):
    title: StrictStr | None = None
    css: StrictStr | None = None
    description: StrictStr | None = None


class WorkSkinIn(StrictSchema):
    skin_id: StrictInt | None = Field(..., description="One of your skins, or null for none.")


class WorkSkinOut(Schema):
    work_id: int
    skin_id: int | None
    stylesheet: str | None = Field(..., description="The CSS readers' pages link, if any.")


def _out(skin) -> dict:
    return {"id": skin.pk, "title": skin.title, "description": skin.description, "css": skin.css}


def _refusals(call, **kwargs):
    try:
        return call(**kwargs)
    except ValidationError as error:
        raise ApiValidationError(django_errors(error)) from None


@router.get("/me/skins", response={200: list[SkinOut], READ_ERRORS: ErrorOut}, **USER_READ)
def skin_list(request: HttpRequest) -> list[dict]:
    """Your work skins."""
    return [_out(skin) for skin in skins.skins_of(viewer(request))]


@router.post("/skins", response={201: SkinOut, WRITE_ERRORS: ErrorOut}, **WRITE)
def skin_create(request: HttpRequest, payload: SkinIn) -> Status:
    """Save a work skin. CSS outside the allowed subset is refused: each problem is an error
    on `css` saying where it is."""
    skin = _refusals(skins.skin_create, actor=viewer(request), **payload.model_dump())
    return Status(201, _out(skin))


@router.get("/skins/{skin_id}", response={200: SkinOut, READ_ERRORS: ErrorOut}, **USER_READ)
def skin_show(request: HttpRequest, skin_id: int) -> dict:
    return _out(skins.access_skin_for_edit(viewer(request), skin_id))


@router.patch("/skins/{skin_id}", response={200: SkinOut, WRITE_ERRORS: ErrorOut}, **WRITE)
def skin_update(request: HttpRequest, skin_id: int, payload: SkinPatch) -> dict:
    actor = viewer(request)
    skin = skins.access_skin_for_edit(actor, skin_id)
    values = {
        "title": skin.title,
        "css": skin.css,
        "description": skin.description,
        **payload.model_dump(exclude_unset=True, exclude_none=True),
    }
    return _out(_refusals(skins.skin_update, actor=actor, skin=skin, **values))


@router.delete("/skins/{skin_id}", response={204: None, WRITE_ERRORS: ErrorOut}, **WRITE)
def skin_delete(request: HttpRequest, skin_id: int) -> Status:
    actor = viewer(request)
    skins.skin_delete(actor=actor, skin=skins.access_skin_for_edit(actor, skin_id))
    return Status(204, None)


@router.put("/works/{work_id}/skin", response={200: WorkSkinOut, WRITE_ERRORS: ErrorOut}, **WRITE)
def work_skin_set(request: HttpRequest, work_id: int, payload: WorkSkinIn) -> dict:
    """Put one of your skins on a work you created, or none (`"skin_id": null`)."""
    actor = viewer(request)
    work = access_work_for_edit(actor, work_id)
    skin = None
    if payload.skin_id is not None:
        skin = skins.skins_of(actor).filter(pk=payload.skin_id).first()
        if skin is None:
            raise ApiValidationError([("skin_id", "Choose one of your own skins.")])
    _refusals(skins.work_choose_skin, actor=actor, work=work, skin=skin)
    url = request.build_absolute_uri(f"/works/{work.pk}/skin.css") if skin else None
    return {"work_id": work.pk, "skin_id": skin.pk if skin else None, "stylesheet": url}
