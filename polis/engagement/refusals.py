"""Refusals the actor should read: raised by actions, shown as a page (403) or API error."""

from django.core.exceptions import PermissionDenied


class Refused(PermissionDenied):
    """Not allowed, for a reason that may be told to the actor (`str(error)` is the message)."""


class Blocked(Refused):
    """Refused because someone blocked the actor."""


WORK_UNAVAILABLE = (
    "Sorry, this work has been deleted or is not available, so it can't take comments. "
    "Your comment was not posted."
)
