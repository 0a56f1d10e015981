"""Every write to API tokens: create (the plain token is returned once), revoke, mark used."""

import datetime
import hashlib
import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from polis.accounts.models import User
from polis.api.models import ApiToken

# Recording every use would write on every API read; a minute's precision is enough.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


def token_hash(plain: str) -> str:
    """The stored form of a token: tokens are random, so a plain sha256 is enough."""
    return hashlib.sha256(plain.encode()).hexdigest()


@transaction.atomic
def token_create(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """Make a token for `actor`; the plain token is returned here and never stored."""
    plain = secrets.token_urlsafe(32)
    token = ApiToken(user=actor, name=name.strip(), key_hash=token_hash(plain), prefix=plain[:8])
    token.full_clean()
    token.save()
    return token, plain


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> None:
    """Delete a token; it stops working at once."""
    if token.user_id != actor.pk and not actor.is_superuser:
        raise PermissionDenied("This is not your token.")
    token.delete()


@transaction.atomic
def tokens_revoke_all(*, actor: User) -> int:
    """Delete every token of the actor (after a password change, when they ask)."""
    return ApiToken.objects.filter(user=actor).delete()[0]


def revoke_on_password_change(user: User, revoke_tokens: bool) -> None:
    """Listener of `polis.accounts.hooks.password_changed`."""
    if revoke_tokens:
        tokens_revoke_all(actor=user)


def revoke_on_ban(*, user: User, **_signal) -> int:
    """Receiver of `polis.accounts.standing.access_revoked` (a ban): every token dies."""
    return tokens_revoke_all(actor=user)


def token_mark_used(*, token: ApiToken) -> None:
    """Record that a token was used, at most once per LAST_USED_PRECISION."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        token.last_used_at = now
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
