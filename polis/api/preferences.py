"""The caller's preferences: reading (as on /preferences), adult content and similar works
(as on /settings). One resource; PUT and PATCH both change only the fields sent."""

from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import StrictBool

from polis.accounts import reading
from polis.accounts.actions import reading_preferences_save, user_update_preferences
from polis.api.auth import USER_READ, WRITE, viewer
from polis.api.errors import ApiValidationError
from polis.api.schemas import READ_ERRORS, WRITE_ERRORS, ErrorOut, StrictSchema

router = Router(tags=["preferences"])

Theme = Literal["system", "light", "dark"]
Skin = Literal["default", "dark", "high-contrast", "low-vision", "parchment"]
FontFamily = Literal["serif", "sans", "mono"]
FontSize = Literal["90", "100", "115", "130", "160"]
TextWidth = Literal["narrow", "comfortable", "wide", "full"]
LineSpacing = Literal["compact", "normal", "relaxed", "double"]
ACCOUNT_FIELDS = ("view_adult", "similar_works_enabled")


class PreferencesOut(Schema):
    theme: Theme
    skin: Skin
    font_family: FontFamily
    font_size: FontSize
    text_width: TextWidth
    line_spacing: LineSpacing
    hide_work_skins: bool
    view_full_work: bool
    view_adult: bool
    similar_works_enabled: bool


class PreferencesIn(StrictSchema):
    """Any of the preferences; those left out keep their values."""

    theme: Theme | None = None
    skin: Skin | None = None
    font_family: FontFamily | None = None
    font_size: FontSize | None = None
    text_width: TextWidth | None = None
    line_spacing: LineSpacing | None = None
    hide_work_skins: StrictBool | None = None
    view_full_work: StrictBool | None = None
    view_adult: StrictBool | None = None
    similar_works_enabled: StrictBool | None = None


def _out(user) -> dict:
    return {**reading.stored_values(user), **{name: getattr(user, name) for name in ACCOUNT_FIELDS}}


@router.get("/me/preferences", response={200: PreferencesOut, READ_ERRORS: ErrorOut}, **USER_READ)
def preferences_show(request: HttpRequest) -> dict:
    """Your preferences (the defaults until you save some)."""
    return _out(viewer(request))


def _update(request: HttpRequest, payload: PreferencesIn) -> dict:
    sent = payload.model_dump(exclude_unset=True)
    nulls = [
        (name, "Leave this field out to keep it; null is not a value.")
        for name, v in sent.items()
        if v is None
    ]
    account = {k: sent.pop(k) for k in ACCOUNT_FIELDS if k in sent}
    values, errors = reading.check({k: v for k, v in sent.items() if v is not None})
    if nulls or errors:
        raise ApiValidationError(nulls + errors)
    user = viewer(request)
    if values:
        reading_preferences_save(actor=user, values=values)
    if account:
        user_update_preferences(actor=user, **account)
    return _out(user)


@router.put("/me/preferences", response={200: PreferencesOut, WRITE_ERRORS: ErrorOut}, **WRITE)
def preferences_put(request: HttpRequest, payload: PreferencesIn) -> dict:
    """Save preferences: the fields sent change, the others keep their values."""
    return _update(request, payload)


@router.patch("/me/preferences", response={200: PreferencesOut, WRITE_ERRORS: ErrorOut}, **WRITE)
def preferences_patch(request: HttpRequest, payload: PreferencesIn) -> dict:
    """The same as PUT (kept for the callers that used PATCH first)."""
    return _update(request, payload)
