"""Staff roles, as AO3 has them: each is a Django group of that name.

Superusers hold every role. The tag-wrangling role is also granted by the older
`User.is_tag_wrangler` flag. Grant roles with `polis role` (or the admin's user page); each
grant and revocation is recorded in the audit log (`polis.accounts.role_actions`).

The staff tools (moderation, sanctions, site settings, the invitation queue) ask
`has_staff_role`: a role on an account that is not staff (`is_staff`, which the visibility
rule calls staff) gives nothing there, so the people using them are exactly the people the
rule lets see hidden things.
"""

from django.db import models


class Role(models.TextChoices):
    SUPERADMIN = "superadmin", "Superadmin"
    POLICY_ABUSE = "policy_abuse", "Policy & Abuse"
    SUPPORT = "support", "Support"
    TAG_WRANGLING = "tag_wrangling", "Tag Wrangling"
    ARCHIVIST = "archivist", "Archivist"  # imports works for others (Open Doors)


def roles_of(user) -> frozenset[str]:
    """The roles `user` holds (cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_polis_roles", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        held = frozenset(Role.values)
    else:
        names = set(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
        if user.is_tag_wrangler:
            names.add(Role.TAG_WRANGLING)
        held = frozenset(names)
    user._polis_roles = held
    return held


def has_role(user, *roles: str) -> bool:
    """Whether `user` holds any of `roles` (superadmins hold them all)."""
    held = roles_of(user)
    return Role.SUPERADMIN in held or any(role in held for role in roles)


def has_staff_role(user, *roles: str) -> bool:
    """A staff account (`is_staff`, or a superuser) holding any of `roles`."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff or user.is_superuser) and has_role(user, *roles)
