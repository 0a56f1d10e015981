"""The API's throttles: the core fixed-window limiter (polis.core.ratelimit) plugged into Ninja."""

# Django Ninja runs throttles after authentication, so a token's requests are counted together
# wherever they come from. Rates come from settings at request time: an int (requests per
# minute) or "N/s|m|h|d".

import threading

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from polis.core.ratelimit import client_key, hit, parse_rate

__all__ = ["ApiThrottle", "client_key", "hit", "parse_rate", "read_throttle", "write_throttle"]


def _rate(scope: str) -> int | str:
    """The scope's rate, read per request so an override takes effect at once."""
    return {"read": settings.POLIS_API_RATE_READ, "write": settings.POLIS_API_RATE_WRITE}[scope]


class ApiThrottle(BaseThrottle):
    """Ninja throttle for one scope, "read" or "write"."""

    def __init__(self, scope: str) -> None:
        self.scope = scope
        # One throttle object serves every request; ninja asks wait() right after
        # allow_request() in the same thread, so the answer is kept per thread.
        self._local = threading.local()

    def allow_request(self, request: HttpRequest) -> bool:
        limit, window = parse_rate(_rate(self.scope))
        self._local.wait = hit(f"{self.scope}:{client_key(request)}", limit=limit, window=window)
        return self._local.wait is None

    def wait(self) -> float | None:
        return getattr(self._local, "wait", None)


read_throttle = ApiThrottle("read")
write_throttle = ApiThrottle("write")
