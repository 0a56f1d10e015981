"""Who is reading the catalog: a personal API token (Bearer, or Basic with the token as the
password, which is all many e-reader apps can send), else the browser's session.

Tokens are checked by the API's own authenticator, so a revoked token or a deactivated user
stops working here at the same moment. A request that sends credentials is judged by them
alone: wrong credentials answer 401 rather than quietly reading as a guest.
"""

import base64
import binascii

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse

from polis.accounts.models import User
from polis.api.auth import token_auth

Viewer = User | AnonymousUser


class BadCredentials(Exception):
    """The request sent an Authorization header that names no active user's token."""


def _basic(request: HttpRequest, encoded: str) -> User | None:
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, separator, token = decoded.partition(":")
    if not separator:
        return None
    user = token_auth.authenticate(request, token)
    # The user name must be the token's owner's: a token is not a password for anyone else.
    if user is None or user.username.casefold() != username.strip().casefold():
        return None
    return user


def opds_viewer(request: HttpRequest) -> Viewer:
    """The reader this request speaks for; BadCredentials when it sent wrong ones."""
    header = request.headers.get("Authorization")
    if header is None:
        return request.user
    scheme, _, value = header.strip().partition(" ")
    scheme = scheme.lower()
    if scheme == "bearer":
        user = token_auth.authenticate(request, value.strip())
    elif scheme == "basic":
        user = _basic(request, value)
    else:
        user = None
    if user is None:
        raise BadCredentials()
    return user


def challenge(message: str) -> HttpResponse:
    """401 asking for a token: Basic first, the scheme e-reader apps know."""
    response = HttpResponse(message, status=401, content_type="text/plain; charset=utf-8")
    realm = f"{settings.SITE_NAME} OPDS".replace('"', "'")
    response["WWW-Authenticate"] = f'Basic realm="{realm}", charset="UTF-8", Bearer realm="{realm}"'
    return response
