"""What other apps decide about listings, without search importing them.

Engagement (above search) lowers the comment and bookmark counts a viewer sees by what users
they muted left, and downloads hear when an indexed work changed. Each registers from its
`AppConfig.ready`. With nothing registered counts are shown as stored. Which works are
listed at all is the works app's rule (`polis.works.visibility`), not a hook. See
docs/adr/0003-hooks-between-apps.md.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # indexing imports this module early; models are only needed for types
    from polis.accounts.hooks import Viewer
    from polis.works.models import Work

AdjustCounts = Callable[["Viewer", list["Work"]], list["Work"]]


def _shown_as_stored(viewer: "Viewer", works: "list[Work]") -> "list[Work]":
    return works


IndexListener = Callable[[list[int]], None]

_adjust_counts: AdjustCounts = _shown_as_stored


def register_count_adjustment(adjust: AdjustCounts) -> None:
    """Called from an AppConfig.ready; registering again replaces it."""
    global _adjust_counts
    _adjust_counts = adjust


def adjust_counts(viewer: "Viewer", works: "list[Work]") -> "list[Work]":
    """The works of a listing with the counts this viewer should see (display copies)."""
    return _adjust_counts(viewer, works)


_index_listeners: list[IndexListener] = []


def register_index_listener(listener: IndexListener) -> None:
    """Called from an AppConfig.ready: `listener(work_ids)` runs after every commit that
    changed these works' text, tags or visibility (not their counters)."""
    if listener not in _index_listeners:
        _index_listeners.append(listener)


def index_changed(work_ids: list[int]) -> None:
    for listener in _index_listeners:
        listener(work_ids)
