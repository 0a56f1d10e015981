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
