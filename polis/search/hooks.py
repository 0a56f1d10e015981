"""What other apps decide about the search index and listings, without search importing them.

Collections (above search) hide unrevealed works from every listing and keep anonymous
works' creators out of the index and out of creator searches; engagement (above search)
lowers the comment and bookmark counts a viewer sees by what users they muted left. Each
registers from its `AppConfig.ready`. With nothing registered every posted work is indexed
with its creators and counts are shown as stored. See docs/adr/0003-hooks-between-apps.md.
"""

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # indexing imports this module early; models are only needed for types
    from polis.accounts.hooks import Viewer
    from polis.works.models import Work

WorkIds = Callable[[Iterable[int]], set[int]]
# An SQL condition, true when the work whose id is in the given column is anonymous.
AnonymousSql = Callable[[str], str]
AdjustCounts = Callable[["Viewer", list["Work"]], list["Work"]]


def _none(work_ids: Iterable[int]) -> set[int]:
    return set()


def _shown_as_stored(viewer: "Viewer", works: "list[Work]") -> "list[Work]":
    return works


IndexListener = Callable[[list[int]], None]

_unlisted_work_ids: WorkIds = _none
_anonymous_work_ids: WorkIds = _none
_anonymous_sql: AnonymousSql | None = None
_adjust_counts: AdjustCounts = _shown_as_stored


def register_concealment(
    *, unlisted_work_ids: WorkIds, anonymous_work_ids: WorkIds, anonymous_sql: AnonymousSql
) -> None:
    """Called from an AppConfig.ready; registering again replaces the three."""
    global _unlisted_work_ids, _anonymous_work_ids, _anonymous_sql
    _unlisted_work_ids = unlisted_work_ids
    _anonymous_work_ids = anonymous_work_ids
    _anonymous_sql = anonymous_sql


def register_count_adjustment(adjust: AdjustCounts) -> None:
    """Called from an AppConfig.ready; registering again replaces it."""
    global _adjust_counts
    _adjust_counts = adjust


def unlisted_work_ids(work_ids: Iterable[int]) -> set[int]:
    """Those of these works kept out of the index (and so every listing) for now."""
    return _unlisted_work_ids(work_ids)


def anonymous_work_ids(work_ids: Iterable[int]) -> set[int]:
    """Those of these works whose creators are never indexed (never searchable by them)."""
    return _anonymous_work_ids(work_ids)


def anonymous_sql(work_column: str) -> str | None:
    """An SQL condition (no parameters) true when the work in `work_column` is anonymous,
    or None when nothing can make a work anonymous."""
    return _anonymous_sql(work_column) if _anonymous_sql is not None else None


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
