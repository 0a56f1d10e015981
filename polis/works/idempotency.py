"""Posting once: a form token or an `Idempotency-Key` makes a repeated post return the first.

A double-click on Post, a resubmitted form or an API client's retry sends the same key; the
first request creates the work (or chapter) and records the key beside it in the same
transaction, so the key exists exactly when the work does. Later requests with that key
from the same user (within `KEY_LIFETIME`) get the first one back instead of a copy.

Two requests at the same moment: both miss the lookup, both try to insert the key; the unique
constraint lets one through. On PostgreSQL the other's insert waits for the winner's commit
and then fails; on SQLite the IMMEDIATE transaction waits for the writer before it begins.
Either way the loser reads the winner's row and answers with it. A post that is refused (a
validation error) rolls its key back with it, so correcting the form and posting again works.
"""

import datetime
import secrets
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from polis.accounts.models import User
from polis.works import actions
from polis.works.models import Chapter, PostingToken, Work

KEY_LIFETIME = datetime.timedelta(hours=24)
KEY_MAX = 100


def new_form_token() -> str:
    """A token for a posting form, made when the form is shown."""
    return secrets.token_urlsafe(24)


def clean_key(key: str | None) -> str:
    """The key as stored; empty when none was sent. Refused when it cannot be a key."""
    key = (key or "").strip()
    if len(key) > KEY_MAX or any(ord(ch) < 33 or ord(ch) > 126 for ch in key):
        raise ValidationError(
            {"idempotency_key": f"A key is 1 to {KEY_MAX} printable ASCII characters."}
        )
    return key


def _recorded(actor: User, scope: str, key: str) -> PostingToken | None:
    token = (
        PostingToken.objects.filter(user=actor, scope=scope, key=key)
        .select_related("work", "chapter")
        .first()
    )
    if token is None:
        return None
    if token.created_at < timezone.now() - KEY_LIFETIME:
        token.delete()  # expired: the key may be used again
        return None
    return token


def _once(actor: User, scope: str, key: str, create: Callable[[], Any]) -> tuple[Any, bool]:
    """`(result, created)`: `create()`'s result the first time, the recorded one after."""
    if not key:
        return create(), True
    token = _recorded(actor, scope, key)
    if token is not None:
        return token.chapter or token.work, False
    try:
        with transaction.atomic():
            token = PostingToken.objects.create(user=actor, scope=scope, key=key)
            result = create()
            if isinstance(result, Chapter):
                token.chapter, token.work = result, result.work
            else:
                token.work = result
            token.save(update_fields=["work", "chapter"])
    except IntegrityError:
        token = _recorded(actor, scope, key)
        if token is None or (token.work_id is None and token.chapter_id is None):
            raise
        return token.chapter or token.work, False
    return result, True


def work_create_once(*, actor: User, key: str, **kwargs) -> tuple[Work, bool]:
    """`actions.work_create` once per key: `(work, created)`; `created` False for a repeat."""
    return _once(actor, "work", key, lambda: actions.work_create(actor=actor, **kwargs))


def chapter_add_once(*, actor: User, work: Work, key: str, **kwargs) -> tuple[Chapter, bool]:
    """`actions.chapter_add` once per key and work: `(chapter, created)`."""
    return _once(
        actor,
        f"chapter:{work.pk}",
        key,
        lambda: actions.chapter_add(actor=actor, work=work, **kwargs),
    )
