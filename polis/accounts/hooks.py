"""Whom a viewer has muted: asked by works, search and engagement, answered by engagement.

Muting is a relation between users, so accounts owns the question (and the `Mute` rows); the
lookup, with its per-request cache, lives in engagement with the mute actions, which act on
comments, bookmarks and listings (docs/adr/0003-hooks-between-apps.md). Engagement registers
its answer from `EngagementConfig.ready`; until then nobody is muted.
"""

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser

from polis.accounts.models import User

Viewer = User | AnonymousUser
MutedUserIds = Callable[[Viewer], list[int]]


def _no_one(viewer: Viewer) -> list[int]:
    return []


_muted_user_ids: MutedUserIds = _no_one


def register_muted_user_ids(provider: MutedUserIds) -> None:
    """Called from an AppConfig.ready; registering again replaces the provider."""
    global _muted_user_ids
    _muted_user_ids = provider


def muted_user_ids(viewer: Viewer) -> list[int]:
    """Users whose works, series, bookmarks and comments `viewer` muted (sorted ids)."""
    return _muted_user_ids(viewer)


# --- A password was changed ------------------------------------------------------------
# Django already ends the user's other sessions (each stores a hash of the password); the
# API owns personal tokens, so it listens here to revoke them when the user asks.
PasswordChanged = Callable[[User, bool], None]
_password_listeners: dict[str, PasswordChanged] = {}


def register_password_changed(listener: PasswordChanged) -> None:
    """Called from an AppConfig.ready; registering the same function again replaces it."""
    _password_listeners[f"{listener.__module__}.{listener.__qualname__}"] = listener


def password_changed(user: User, *, revoke_tokens: bool) -> None:
    """Tell the listeners that `user` changed their password (and whether to revoke tokens)."""
    for listener in _password_listeners.values():
        listener(user, revoke_tokens)


# --- A byline changed ------------------------------------------------------------------
# A pseud renamed, or every pseud of a renamed account (their bylines show the username):
# search listens to reindex the works they are on, which also starts new blurb fragments.
BylinesChanged = Callable[[list[int]], None]
_byline_listeners: dict[str, BylinesChanged] = {}


def register_bylines_changed(listener: BylinesChanged) -> None:
    """Called from an AppConfig.ready; registering the same function again replaces it."""
    _byline_listeners[f"{listener.__module__}.{listener.__qualname__}"] = listener


def bylines_changed(pseud_ids: list[int]) -> None:
    """Tell the listeners these pseuds now read differently in a byline (in the transaction)."""
    for listener in _byline_listeners.values():
        listener(pseud_ids)
