"""Keys for people without accounts: keyed hashes, so no address is ever stored or readable."""

import hashlib
import hmac

from django.conf import settings
from django.http import HttpRequest


def _digest(kind: str, value: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or ""


def guest_key(request: HttpRequest) -> str:
    """One guest = one address, as AO3 counts guest kudos (64 hex characters)."""
    return _digest("guest", client_address(request))


def visitor_key(request: HttpRequest) -> str:
    """A reader for hit counting: the account, or the address with the browser's name."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return _digest("user", str(user.pk))[:32]
    agent = request.META.get("HTTP_USER_AGENT", "")[:300]
    return _digest("visitor", f"{client_address(request)}|{agent}")[:32]
