"""Refusals an actor may be told about: raised by actions, shown as a page or an API error."""

from django.core.exceptions import PermissionDenied


class Refused(PermissionDenied):
    """Not allowed, for a reason the actor may read (`str(error)` is the message)."""
