"""A fixed-window rate limiter on Django's cache, shared by every app server."""

# `hit()` is the reusable part; `ApiThrottle` plugs it into Django Ninja, which runs throttles
# after authentication, so a token's requests are counted together wherever they come from.
# Rates come from settings at request time: an int (requests per minute) or "N/s|m|h|d".

import math
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

DEFAULT_RATES = {"read": 120, "write": 30}
SETTING_NAMES = {"read": "POLIS_API_RATE_READ", "write": "POLIS_API_RATE_WRITE"}
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


class ApiThrottle(BaseThrottle):
    """Ninja throttle for one scope, "read" or "write"."""

    def __init__(self, scope: str) -> None:
        self.scope = scope
        # One throttle object serves every request; ninja asks wait() right after
        # allow_request() in the same thread, so the answer is kept per thread.
        self._local = threading.local()

    def allow_request(self, request: HttpRequest) -> bool:
        rate = getattr(settings, SETTING_NAMES[self.scope], DEFAULT_RATES[self.scope])
        limit, window = parse_rate(rate)
        self._local.wait = hit(f"{self.scope}:{client_key(request)}", limit=limit, window=window)
        return self._local.wait is None

    def wait(self) -> float | None:
        return getattr(self._local, "wait", None)


read_throttle = ApiThrottle("read")
write_throttle = ApiThrottle("write")
