"""Rate limits on comments: guests and new accounts post slowly; others as the API allows.

Built on the fixed-window limiter (polis.core.ratelimit.hit), so limits hold across
every app server sharing the cache. Rates are "N/s|m|h|d" settings; "" means no limit.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from polis.accounts.models import User
from polis.core.ratelimit import hit, parse_rate


def _rate(kind: str) -> str:
    """The rate for this kind of commenter, read per call so an override takes effect at once."""
    return {
        "guest": settings.POLIS_COMMENT_RATE_GUEST,
        "new": settings.POLIS_COMMENT_RATE_NEW_ACCOUNT,
        "user": settings.POLIS_COMMENT_RATE_USER,
    }[kind]


def _kind(actor: User | AnonymousUser) -> str:
    if not actor.is_authenticated:
        return "guest"
    days = settings.POLIS_NEW_ACCOUNT_DAYS
    if actor.date_joined and actor.date_joined > timezone.now() - timedelta(days=days):
        return "new"
    return "user"


def comment_wait(actor: User | AnonymousUser, guest_key: str) -> int | None:
    """Count one comment attempt; None if allowed, else the seconds to wait (Retry-After)."""
    rate = _rate(_kind(actor))
    if not rate:
        return None
    limit, window = parse_rate(rate)
    who = f"user:{actor.pk}" if actor.is_authenticated else f"guest:{guest_key[:32]}"
    return hit(f"comment:{who}", limit=limit, window=window)
