"""Granting and revoking staff roles, and the account flags that make staff: every change is
recorded in the audit log (who, what, whom, why).

`polis role` and the admin's user page call these; nothing else writes a role group or the
staff, superuser and active flags. Superadmins (and the operator at the command line, with
no actor) manage roles. A banned account is made active again only by lifting the ban
(`polis.moderation.sanctions.user_unban`), which records why.
"""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from polis.accounts.models import User
from polis.accounts.roles import Role, has_staff_role, roles_of
from polis.core.audit import record

# Roles whose tools also need a staff account (`has_staff_role`): granting one of them to an
# account that is not staff gives nothing until it is made staff too.
STAFF_TOOL_ROLES = frozenset({Role.SUPERADMIN, Role.POLICY_ABUSE, Role.SUPPORT})
FLAGS = ("is_active", "is_staff", "is_superuser")
REFUSED = "Only superadmins can grant or revoke roles and staff flags."


def may_manage_roles(actor: User | None) -> bool:
    """The operator (no actor: the command line) or a staff superadmin."""
    return actor is None or has_staff_role(actor, Role.SUPERADMIN)


def _check(actor: User | None) -> None:
    if not may_manage_roles(actor):
        raise PermissionDenied(REFUSED)


def _role(role: str) -> str:
    if role not in Role.values:
        names = ", ".join(Role.values)
        raise ValidationError({"role": f"There is no role {role!r}; the roles are {names}."})
    return role


def _audit(actor: User | None, verb: str, user: User, reason: str, **details) -> None:
    record(
        actor=actor,
        verb=verb,
        target_type="user",
        target_id=user.pk,
        target_label=user.username,
        reason=reason,
        role="" if actor is None else Role.SUPERADMIN,
        details=details,
    )


def _forget_roles(user: User) -> None:
    user.__dict__.pop("_polis_roles", None)


@transaction.atomic
def role_grant(*, actor: User | None, user: User, role: str, reason: str = "") -> bool:
    """Give `user` the role (its Django group); False if it already held it."""
    _check(actor)
    role = _role(role)
    group, _ = Group.objects.get_or_create(name=role)
    if user.groups.filter(pk=group.pk).exists():
        return False
    user.groups.add(group)
    _forget_roles(user)
    _audit(actor, "role.grant", user, reason, role=role)
    return True


@transaction.atomic
def role_revoke(*, actor: User | None, user: User, role: str, reason: str = "") -> bool:
    """Take the role from `user` (for tag wrangling, the older flag too); False if it held
    none."""
    _check(actor)
    role = _role(role)
    removed = False
    group = Group.objects.filter(name=role).first()
    if group is not None and user.groups.filter(pk=group.pk).exists():
        user.groups.remove(group)
        removed = True
    if role == Role.TAG_WRANGLING and user.is_tag_wrangler:
        user.is_tag_wrangler = False
        user.save(update_fields=["is_tag_wrangler"])
        removed = True
    if removed:
        _forget_roles(user)
        _audit(actor, "role.revoke", user, reason, role=role)
    return removed


@transaction.atomic
def user_set_flags(*, actor: User | None, user: User, reason: str = "", **flags: bool) -> dict:
    """Set some of `is_active`, `is_staff`, `is_superuser`; one audit entry naming each
    change as [before, after]. What changed (empty if nothing did)."""
    unknown = set(flags) - set(FLAGS)
    if unknown:
        raise ValidationError(f"Not an account flag: {', '.join(sorted(unknown))}.")
    stored = User.objects.select_for_update().get(pk=user.pk)
    changes = {
        name: [getattr(stored, name), bool(value)]
        for name, value in flags.items()
        if getattr(stored, name) != bool(value)
    }
    if not changes:
        return {}
    _check(actor)
    if changes.get("is_active") == [False, True] and stored.banned:
        raise ValidationError(
            "This account is banned: lift the ban on its sanctions page (or with the API), "
            "which records why and tells the user."
        )
    if actor is not None and actor.pk == stored.pk:
        raise ValidationError("You can't change your own staff or active flags.")
    for name, (_, after) in changes.items():
        setattr(stored, name, after)
        setattr(user, name, after)
    stored.save(update_fields=sorted(changes))
    _forget_roles(user)
    _audit(actor, "user.flags", stored, reason, **changes)
    return changes


def role_holders() -> list[tuple[User, frozenset[str]]]:
    """Every account holding a role (superusers, the role groups, the older wrangler flag)
    with its roles, by username."""
    users = (
        User.objects.filter(
            Q(is_superuser=True) | Q(is_tag_wrangler=True) | Q(groups__name__in=Role.values)
        )
        .distinct()
        .order_by("username")
    )
    return [(user, roles_of(user)) for user in users]
