"""The unread-notification count in the header, computed only if a page shows it."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from polis.engagement.notifications import unread_count


def inbox(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"inbox_unread": 0}
    return {"inbox_unread": SimpleLazyObject(lambda: unread_count(user))}
