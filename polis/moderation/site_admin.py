"""Staff changing the site settings: who may (superadmin and support), and what follows."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from polis.accounts.models import User
from polis.accounts.roles import Role, has_staff_role
from polis.core.models import SiteSettings
from polis.core.site_settings import site_settings, site_settings_update
from polis.downloads.guest import forget_all, works_changed

SETTINGS_ROLES = (Role.SUPPORT,)  # and superadmins, who hold every role


def may_change_site_settings(actor) -> bool:
    """A staff account in Support (or a superadmin): the role alone is not enough."""
    return has_staff_role(actor, *SETTINGS_ROLES)


@transaction.atomic
def site_settings_change(*, actor: User, reason: str = "", **changes) -> SiteSettings:
    """Change site settings as staff; each change is recorded in the audit log."""
    if not may_change_site_settings(actor):
        raise PermissionDenied("Only support staff and superadmins can change site settings.")
    role = Role.SUPERADMIN if actor.is_superuser else Role.SUPPORT
    before = site_settings().downloads
    row = site_settings_update(actor=actor, role=role, reason=reason, **changes)
    if before != row.downloads:
        # Guests' repeat downloads skip the view (polis/downloads/guest.py): drop their
        # pointers here and in every process sharing the data directory.
        transaction.on_commit(forget_all)
        transaction.on_commit(lambda: works_changed([]))
    return row
