"""What every page tells a logged-in user about their own account."""

from django.http import HttpRequest

from polis.accounts.standing import standing_refusal


def standing(request: HttpRequest) -> dict:
    """A suspended account sees on every page until when (its suspension ends by itself)."""
    user = getattr(request, "user", None)
    return {"standing_notice": standing_refusal(user) if user is not None else None}


def reading_preferences(request: HttpRequest) -> dict:
    """The reader's preferences, for the classes and site skin on every page's <html>."""
    from polis.accounts.reading import reading_for

    return {"reading": reading_for(request)}
