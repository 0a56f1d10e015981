"""Sanctions and site settings in the API: warn, suspend, lift, ban, lift a ban; the site's
switches; the invitation queue. The same actions as the staff pages
(polis/moderation/sanction_views.py)."""

import datetime

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import StrictBool, StrictInt, StrictStr

from polis.accounts.access import access_user
from polis.accounts.invitation_queue import (
    invitation_request_create,
    invitation_requests_release,
    queue_length,
    queue_position,
)
from polis.accounts.models import InvitationRequest, User
from polis.accounts.standing import may_participate
from polis.api.auth import READ, USER_READ, WRITE, anonymous_reader, token_auth, viewer
from polis.api.engagement.common import refusals
from polis.api.ratelimit import write_throttle
from polis.api.schemas import WRITE_ERRORS, ErrorOut, StrictSchema
from polis.core.models import SignupPolicy
from polis.core.site_settings import site_settings
from polis.moderation import sanctions
from polis.moderation.site_admin import may_change_site_settings, site_settings_change

router = Router(tags=["moderation"])
STAFF_ERRORS = WRITE_ERRORS | {403}
# Guests may join the invitation queue: no credentials needed, but a token still counts.
GUEST_WRITE = {
    "auth": [token_auth, anonymous_reader],
    "throttle": [write_throttle],
    "openapi_extra": {"security": [{}]},
}


class StandingOut(Schema):
    username: str
    banned: bool
    suspended_until: datetime.datetime | None = Field(
        None, description="While in the future, the account is suspended; it ends by itself."
    )
    may_participate: bool = Field(
        ..., description="Whether it may post, comment, leave kudos, bookmark, invite now."
    )


class ReasonIn(StrictSchema):
    reason: StrictStr = Field(..., description="Why; the user is told this.")


class SuspendIn(ReasonIn):
    days: StrictInt = Field(..., description="Days from now, 1 to 3650.")


class BanIn(ReasonIn):
    delete_content: StrictBool = Field(
        False, description="Also delete all their works and comments (in the background)."
    )


class SiteSettingsOut(Schema):
    signup: str = Field(..., description="open, invitations or closed.")
    guest_comments: bool
    downloads: bool
    tag_wrangling: bool
    banner_html: str = Field(..., description="Sanitised HTML shown on every page.")
    banner_version: int
    invitations_per_day: int
    invitation_queue_length: int


class SiteSettingsPatch(StrictSchema):
    signup: SignupPolicy | None = None
    guest_comments: StrictBool | None = None
    downloads: StrictBool | None = None
    tag_wrangling: StrictBool | None = None
    banner_html: StrictStr | None = None
    invitations_per_day: StrictInt | None = Field(None, ge=0, le=1000)
    reason: StrictStr = Field("", description="Why, for the audit log.")


class ReleaseIn(StrictSchema):
    count: StrictInt | None = Field(
        None, description="How many; the site settings' number a day when left out."
    )


class ReleaseOut(Schema):
    sent: int
    waiting: int


class InvitationRequestIn(StrictSchema):
    email: StrictStr


class InvitationRequestOut(Schema):
    token: str = Field(..., description="Look the request up with it; keep it private.")
    position: int | None = Field(..., description="1 is next; null once the invitation went.")
    released_at: datetime.datetime | None
    url: str


def _staff(request: HttpRequest) -> User:
    actor = viewer(request)
    if not sanctions.may_sanction(actor):
        raise HttpError(403, "Only Policy & Abuse staff can do this.")
    return actor


def _standing(user: User) -> dict:
    user.refresh_from_db(fields=["banned", "suspended_until"])
    until = user.suspended_until
    return {
        "username": user.username,
        "banned": user.banned,
        "suspended_until": until if until and until > timezone.now() else None,
        "may_participate": may_participate(user),
    }


def _sanction(request: HttpRequest, username: str, call, **values) -> dict:
    actor = _staff(request)
    user = access_user(username)
    try:
        refusals(call, actor=actor, user=user, **values)
    except sanctions.SanctionRefused as error:
        raise HttpError(403, str(error)) from None
    return _standing(user)


@router.get(
    "/moderation/users/{username}/standing",
    response={200: StandingOut, STAFF_ERRORS: ErrorOut},
    **USER_READ,
)
def user_standing(request: HttpRequest, username: str) -> dict:
    """Whether the account is suspended (until when) or banned (Policy & Abuse staff)."""
    _staff(request)
    return _standing(access_user(username))


@router.post(
    "/moderation/users/{username}/warn",
    response={200: StandingOut, STAFF_ERRORS: ErrorOut},
    **WRITE,
)
def user_warn(request: HttpRequest, username: str, payload: ReasonIn) -> dict:
    """Send a recorded warning (inbox and e-mail)."""
    return _sanction(request, username, sanctions.user_warn, reason=payload.reason)


@router.post(
    "/moderation/users/{username}/suspend",
    response={200: StandingOut, STAFF_ERRORS: ErrorOut},
    **WRITE,
)
def user_suspend(request: HttpRequest, username: str, payload: SuspendIn) -> dict:
    """Suspend for `days` days: no posting, comments, kudos, bookmarks or invitations."""
    return _sanction(
        request, username, sanctions.user_suspend, days=payload.days, reason=payload.reason
    )


@router.post(
    "/moderation/users/{username}/unsuspend",
    response={200: StandingOut, STAFF_ERRORS: ErrorOut},
    **WRITE,
)
def user_unsuspend(request: HttpRequest, username: str, payload: ReasonIn) -> dict:
    """End a suspension early."""
    return _sanction(request, username, sanctions.user_unsuspend, reason=payload.reason)


@router.post(
    "/moderation/users/{username}/ban", response={200: StandingOut, STAFF_ERRORS: ErrorOut}, **WRITE
)
def user_ban(request: HttpRequest, username: str, payload: BanIn) -> dict:
    """Ban: no more logging in; sessions and tokens end now; optionally delete everything."""
    return _sanction(
        request,
        username,
        sanctions.user_ban,
        reason=payload.reason,
        delete_content=payload.delete_content,
    )


@router.post(
    "/moderation/users/{username}/unban",
    response={200: StandingOut, STAFF_ERRORS: ErrorOut},
    **WRITE,
)
def user_unban(request: HttpRequest, username: str, payload: ReasonIn) -> dict:
    """Lift a ban: the account may log in again (ended sessions and tokens stay ended)."""
    return _sanction(request, username, sanctions.user_unban, reason=payload.reason)


def _settings_out() -> dict:
    current = site_settings()
    return {
        "signup": current.signup,
        "guest_comments": current.guest_comments,
        "downloads": current.downloads,
        "tag_wrangling": current.tag_wrangling,
        "banner_html": current.banner_html,
        "banner_version": current.banner_version,
        "invitations_per_day": current.invitations_per_day,
        "invitation_queue_length": queue_length(),
    }


def _settings_staff(request: HttpRequest) -> User:
    actor = viewer(request)
    if not may_change_site_settings(actor):
        raise HttpError(403, "Only support staff and superadmins can change site settings.")
    return actor


@router.get(
    "/moderation/site-settings",
    response={200: SiteSettingsOut, STAFF_ERRORS: ErrorOut},
    **USER_READ,
)
def site_settings_show(request: HttpRequest) -> dict:
    """The site's switches (support staff and superadmins)."""
    _settings_staff(request)
    return _settings_out()


@router.patch(
    "/moderation/site-settings", response={200: SiteSettingsOut, STAFF_ERRORS: ErrorOut}, **WRITE
)
def site_settings_patch(request: HttpRequest, payload: SiteSettingsPatch) -> dict:
    """Change some switches; each change is recorded in the audit log."""
    actor = _settings_staff(request)
    changes = payload.model_dump(exclude_unset=True)
    reason = changes.pop("reason", "")
    changes = {name: value for name, value in changes.items() if value is not None}
    if "signup" in changes:
        changes["signup"] = str(changes["signup"])
    refusals(site_settings_change, actor=actor, reason=reason, **changes)
    return _settings_out()


@router.post(
    "/moderation/invitation-requests/release",
    response={200: ReleaseOut, STAFF_ERRORS: ErrorOut},
    **WRITE,
)
def invitation_release(request: HttpRequest, payload: ReleaseIn) -> dict:
    """Send invitations to the oldest waiting requests now."""
    actor = _settings_staff(request)
    try:
        sent = refusals(invitation_requests_release, actor=actor, count=payload.count)
    except PermissionDenied as error:
        raise HttpError(403, str(error)) from None
    return {"sent": sent, "waiting": queue_length()}


def _request_out(request: HttpRequest, entry: InvitationRequest) -> dict:
    path = reverse("invitations:request_status", kwargs={"token": entry.token})
    return {
        "token": entry.token,
        "position": queue_position(entry),
        "released_at": entry.released_at,
        "url": request.build_absolute_uri(path),
    }


@router.post(
    "/invitation-requests",
    response={201: InvitationRequestOut, WRITE_ERRORS: ErrorOut},
    **GUEST_WRITE,
)
def invitation_request_join(request: HttpRequest, payload: InvitationRequestIn) -> Status:
    """Join the invitation queue (while sign-up is by invitation); keep the token."""
    entry = refusals(invitation_request_create, email=payload.email)
    return Status(201, _request_out(request, entry))


@router.get(
    "/invitation-requests/{token}",
    response={200: InvitationRequestOut, WRITE_ERRORS: ErrorOut},
    **READ,
)
def invitation_request_show(request: HttpRequest, token: str) -> dict:
    """A request's place in the queue."""
    entry = InvitationRequest.objects.filter(token=token).first()
    if entry is None:
        raise HttpError(404, "Not found.")
    return _request_out(request, entry)
