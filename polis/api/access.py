"""Who may use or change an API token: lookups that start from a token or an id."""

from django.http import Http404

from polis.accounts.models import User
from polis.api.actions import token_hash
from polis.api.models import ApiToken


def token_for_key(plain: str) -> ApiToken | None:
    """The token with this plain value, if it exists and its user may still log in."""
    if not plain:
        return None
    return (
        ApiToken.objects.select_related("user")
        .filter(key_hash=token_hash(plain), user__is_active=True)
        .first()
    )


def access_token_for_revoke(user: User, token_id: int) -> ApiToken:
    """One of this user's tokens; Http404 for anyone else's or a missing one."""
    token = ApiToken.objects.filter(pk=token_id, user_id=user.pk).first()
    if token is None or not user.is_authenticated:
        raise Http404("No such token.")
    return token


def tokens_of(user: User) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user).order_by("-created_at", "-pk"))
