"""A fixed-window rate limiter on Django's cache, shared by every app server.

Generic on purpose: the API's throttles (polis.api.ratelimit), comment limits
(polis.engagement.limits) and tag autocomplete (polis.tags.views) all count through `hit()`.
Rates are an int (requests per minute) or "N/s|m|h|d".
"""

import math
import time

from django.core.cache import cache
from django.http import HttpRequest

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: int | str) -> tuple[int, int]:
    """`120` or `"120/m"` → (120 requests, 60 seconds)."""
    if isinstance(rate, int):
        return rate, 60
    count, _, period = rate.partition("/")
    return int(count), _PERIODS[(period or "m").strip()[0].lower()]


def hit(key: str, *, limit: int, window: int) -> int | None:
    """Count one request for `key`; None if allowed, else the seconds until the window ends."""
    now = time.time()
    start = int(now // window * window)
    cache_key = f"polis:ratelimit:{key}:{window}:{start}"
    # add() is atomic: exactly one request creates the counter, the others increment it.
    if cache.add(cache_key, 1, timeout=window + 1):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add() and incr()
            cache.add(cache_key, 1, timeout=window + 1)
            count = 1
    if count <= limit:
        return None
    return max(1, math.ceil(start + window - now))


def client_key(request: HttpRequest) -> str:
    """A token counts on its own; otherwise the logged-in user, otherwise the address."""
    token = getattr(request, "api_token", None)
    if token is not None:
        return f"token:{token.pk}"
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{request.META.get('REMOTE_ADDR', '')}"
