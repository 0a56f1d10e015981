"""Staff roles in the API (superadmins): who holds which, grant and revoke — the same
actions as `polis role` and the admin's user page (polis/accounts/role_actions.py)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from pydantic import StrictBool, StrictStr

from polis.accounts.access import access_user
from polis.accounts.models import User
from polis.accounts.role_actions import (
    may_manage_roles,
    role_grant,
    role_holders,
    role_revoke,
    user_set_flags,
)
from polis.accounts.roles import Role, roles_of
from polis.api.auth import USER_READ, WRITE, viewer
from polis.api.engagement.common import refusals
from polis.api.schemas import WRITE_ERRORS, ErrorOut, StrictSchema

router = Router(tags=["moderation"])
STAFF_ERRORS = WRITE_ERRORS | {403}
REFUSED = "Only superadmins can grant or revoke roles."


class RolesOut(Schema):
    username: str
    staff: bool = Field(..., description="A staff account: the staff tools need it too.")
    roles: list[str]


class RoleChangeIn(StrictSchema):
    reason: StrictStr = Field("", description="Why, for the audit log.")
    staff: StrictBool = Field(
        False, description="When granting: also make the account staff (recorded)."
    )


def _superadmin(request: HttpRequest) -> User:
    actor = viewer(request)
    if not may_manage_roles(actor):
        raise HttpError(403, REFUSED)
    return actor


def _out(user: User) -> dict:
    user.refresh_from_db(fields=["is_staff", "is_superuser", "is_tag_wrangler"])
    user.__dict__.pop("_polis_roles", None)
    return {
        "username": user.username,
        "staff": user.is_staff or user.is_superuser,
        "roles": sorted(roles_of(user)),
    }


def _role(role: str) -> str:
    if role not in Role.values:
        raise HttpError(404, "Not found.")
    return role


@router.get(
    "/moderation/roles", response={200: list[RolesOut], STAFF_ERRORS: ErrorOut}, **USER_READ
)
def roles_list(request: HttpRequest) -> list[dict]:
    """Every account holding a role, by username."""
    _superadmin(request)
    return [_out(user) for user, _ in role_holders()]


@router.post(
    "/moderation/users/{username}/roles/{role}",
    response={200: RolesOut, STAFF_ERRORS: ErrorOut},
    **WRITE,
)
def role_add(request: HttpRequest, username: str, role: str, payload: RoleChangeIn) -> dict:
    """Grant a role (superadmin, policy_abuse, support, tag_wrangling, archivist)."""
    actor = _superadmin(request)
    user = access_user(username)
    try:
        refusals(role_grant, actor=actor, user=user, role=_role(role), reason=payload.reason)
        if payload.staff:
            refusals(user_set_flags, actor=actor, user=user, reason=payload.reason, is_staff=True)
    except PermissionDenied as error:
        raise HttpError(403, str(error)) from None
    return _out(user)


@router.delete(
    "/moderation/users/{username}/roles/{role}",
    response={200: RolesOut, STAFF_ERRORS: ErrorOut},
    **WRITE,
)
def role_remove(request: HttpRequest, username: str, role: str, reason: str = "") -> dict:
    """Revoke a role (`reason`, for the audit log, in the query)."""
    actor = _superadmin(request)
    user = access_user(username)
    try:
        refusals(role_revoke, actor=actor, user=user, role=_role(role), reason=reason)
    except PermissionDenied as error:
        raise HttpError(403, str(error)) from None
    return _out(user)
