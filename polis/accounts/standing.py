"""Whether an account may take part: post, comment, leave kudos, bookmark, invite, sign up.

A suspended account (until `User.suspended_until`, which ends by itself: no job clears it)
and a banned one keep reading and their own data, but every write path that adds something
for others refuses them. Each such action calls `require_participation`, so the web pages
and the API refuse alike, with the same words.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.dispatch import Signal
from django.utils import timezone

# Sent explicitly (`access_revoke`) by the actions that end an account's access, such as a
# ban: apps above accounts that hold credentials for it (the API's tokens) drop them. A
# receiver takes `user` and returns how many credentials it dropped.
access_revoked = Signal()


class AccountRestricted(PermissionDenied):
    """Refused because the account is suspended or banned; `str(error)` says why and until
    when (the API answers 403 with it, pages show it above the form)."""


def suspension_end_text(until) -> str:
    return f"{until.astimezone(datetime.UTC):%d %B %Y at %H:%M} UTC"


def standing_refusal(user) -> str | None:
    """The reason `user` may not take part now, or None. Guests are judged by each action's
    own rules (guest comments, guest kudos), not here."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.banned:
        return "Your account has been banned, so you can't do this."
    until = user.suspended_until
    if until is not None and until > timezone.now():
        return (
            f"Your account is suspended until {suspension_end_text(until)}: until then you "
            "can read and manage your own data, but not post, comment, leave kudos, "
            "bookmark, send invitations or join challenges."
        )
    return None


def may_participate(user) -> bool:
    """Whether `user` may post, comment, leave kudos, bookmark, invite or join challenges."""
    return standing_refusal(user) is None


def require_participation(user, *, refused: type[PermissionDenied] = AccountRestricted) -> None:
    """Raise `refused` (an app's own refusal class, so its pages and API already show it)
    with the reason when `user` may not take part."""
    reason = standing_refusal(user)
    if reason is not None:
        raise refused(reason)


def access_revoke(user) -> int:
    """Tell the apps holding credentials for `user` to drop them; how many were dropped."""
    return sum(int(n or 0) for _, n in access_revoked.send(sender=type(user), user=user))
