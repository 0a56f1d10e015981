"""How API callers authenticate: a bearer token, or the browser's session for reads."""

# Writes need a token; a session cookie alone never writes, so the API needs no CSRF checks.
# A request that sends an `Authorization` header is judged by that header alone: a wrong token
# answers 401 instead of quietly falling back to anonymous reading.

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer

from polis.accounts.models import User
from polis.api.access import token_for_key
from polis.api.actions import token_mark_used
from polis.api.ratelimit import read_throttle, write_throttle


class TokenAuth(HttpBearer):
    """`Authorization: Bearer TOKEN` with a personal token from /settings/tokens."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        api_token = token_for_key(token.strip())
        if api_token is None:
            return None
        token_mark_used(token=api_token)
        request.api_token = api_token  # type: ignore[attr-defined]  # the rate limiter's key
        return api_token.user


class SessionAuth(APIKeyCookie):
    """The logged-in browser session, accepted for reads only (GET is safe without CSRF)."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=False)

    def __call__(self, request: HttpRequest) -> Any:
        if "authorization" in request.headers or not request.user.is_authenticated:
            return None
        return request.user

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:  # pragma: no cover
        return None  # __call__ decides; ninja requires the method


def anonymous_reader(request: HttpRequest) -> AnonymousUser | None:
    """Public reads need no credentials, unless the caller sent some (then they must work)."""
    if "authorization" in request.headers:
        return None
    return AnonymousUser()


token_auth = TokenAuth()
session_auth = SessionAuth()

# Settings for the operations of each kind, spread into the route decorators.
# In OpenAPI an empty requirement `{}` says that authentication is optional.
READ: dict[str, Any] = {
    "auth": [token_auth, session_auth, anonymous_reader],
    "throttle": [read_throttle],
    "openapi_extra": {"security": [{}]},
}
USER_READ: dict[str, Any] = {"auth": [token_auth, session_auth], "throttle": [read_throttle]}
WRITE: dict[str, Any] = {"auth": [token_auth], "throttle": [write_throttle]}


def viewer(request: HttpRequest) -> User | AnonymousUser:
    """Whoever the operation's authentication settled on."""
    return request.auth  # type: ignore[attr-defined]
