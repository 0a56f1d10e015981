"""Similar works in the API, and the reader's switch for them (with their other preferences)."""

from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import StrictBool

from polis.accounts.actions import user_update_preferences
from polis.api import output
from polis.api.auth import READ, USER_READ, WRITE, viewer
from polis.api.schemas import READ_ERRORS, WRITE_ERRORS, ErrorOut, StrictSchema, WorkSummaryOut
from polis.api.works import readable_work
from polis.engagement.similar import similar_enabled, similar_works

router = Router(tags=["works"])


class SimilarOut(Schema):
    enabled: bool = Field(..., description="False when the caller turned similar works off.")
    works: list[WorkSummaryOut]


class PreferencesOut(Schema):
    view_adult: bool
    similar_works_enabled: bool


class PreferencesPatch(StrictSchema):
    view_adult: StrictBool | None = None
    similar_works_enabled: StrictBool | None = None


@router.get("/works/{work_id}/similar", response={200: SimilarOut, READ_ERRORS: ErrorOut}, **READ)
def work_similar(request: HttpRequest, work_id: int) -> dict:
    """Works like this one that the caller may see: shared tags, rarer ones counting more,
    and readers who left kudos on both. Mutes, blocks and the blocklist apply."""
    work = readable_work(request, work_id)
    user = viewer(request)
    enabled = similar_enabled(user)
    works = similar_works(viewer=user, work=work)
    return {"enabled": enabled, "works": [output.work_summary(request, w) for w in works]}


def _preferences(user) -> dict:
    return {"view_adult": user.view_adult, "similar_works_enabled": user.similar_works_enabled}


@router.get("/me/preferences", response={200: PreferencesOut, READ_ERRORS: ErrorOut}, **USER_READ)
def preferences_show(request: HttpRequest) -> dict:
    return _preferences(viewer(request))


@router.patch("/me/preferences", response={200: PreferencesOut, WRITE_ERRORS: ErrorOut}, **WRITE)
def preferences_update(request: HttpRequest, payload: PreferencesPatch) -> dict:
    """Change the fields given; the others stay as they are."""
    user = user_update_preferences(
        actor=request.auth,
        view_adult=payload.view_adult,
        similar_works_enabled=payload.similar_works_enabled,
    )
    return _preferences(user)
