"""Things that happen to works, which other apps follow without works importing them.

Works actions announce each event explicitly, at the point it happens (inside their
transaction); listeners registered from an `AppConfig.ready` run in registration order
(`INSTALLED_APPS` order). Engagement listens to queue subscription notices, recount kudos
and comments, and count hits; with no listener an event does nothing. A listener that needs
the commit defers itself (`transaction.on_commit`). See docs/adr/0003-hooks-between-apps.md.
"""

import logging
from collections.abc import Callable

from django.db import DatabaseError
from django.http import HttpRequest

from polis.core.degraded import is_storage_failure
from polis.works.models import Chapter, Series, Work

logger = logging.getLogger(__name__)

WorkListener = Callable[[Work], None]
ChapterListener = Callable[[Chapter], None]
SeriesListener = Callable[[Work, Series], None]
ViewListener = Callable[..., None]  # (request, work, *, chapter: Chapter | None, creator: bool)

_work_posted: dict[str, WorkListener] = {}
_chapter_posted: dict[str, ChapterListener] = {}
_series_work_added: dict[str, SeriesListener] = {}
_chapter_deleted: dict[str, WorkListener] = {}
_work_viewed: dict[str, ViewListener] = {}


def _key(listener: Callable) -> str:
    # Keyed by name, so registering the same function again (a reload) replaces it.
    return f"{listener.__module__}.{listener.__qualname__}"


def on_work_posted(listener: WorkListener) -> None:
    """`listener(work)` when a work becomes visible (posted, or revealed by its collection)."""
    _work_posted[_key(listener)] = listener


def on_chapter_posted(listener: ChapterListener) -> None:
    """`listener(chapter)` when a chapter of a posted work becomes visible."""
    _chapter_posted[_key(listener)] = listener


def on_series_work_added(listener: SeriesListener) -> None:
    """`listener(work, series)` when a posted work joins a series."""
    _series_work_added[_key(listener)] = listener


def on_chapter_deleted(listener: WorkListener) -> None:
    """`listener(work)` after a chapter is deleted, before the work's counters are read back:
    what was left on the chapter went with it, and the work's counters must follow."""
    _chapter_deleted[_key(listener)] = listener


def on_work_viewed(listener: ViewListener) -> None:
    """`listener(request, work, chapter=..., creator=...)` when a reader is shown a work."""
    _work_viewed[_key(listener)] = listener


def work_posted(work: Work) -> None:
    for listener in list(_work_posted.values()):
        listener(work)


def chapter_posted(chapter: Chapter) -> None:
    for listener in list(_chapter_posted.values()):
        listener(chapter)


def series_work_added(work: Work, series: Series) -> None:
    for listener in list(_series_work_added.values()):
        listener(work, series)


def chapter_deleted(work: Work) -> None:
    for listener in list(_chapter_deleted.values()):
        listener(work)


def work_viewed(
    request: HttpRequest, work: Work, *, chapter: Chapter | None, creator: bool
) -> None:
    """A page view's side writes (history, hits) never cost the reader the page: when
    storage refuses them (a full or read-only disk), the page is still served."""
    for listener in list(_work_viewed.values()):
        try:
            listener(request, work, chapter=chapter, creator=creator)
        except (DatabaseError, OSError) as exc:
            if not is_storage_failure(exc):
                raise
            logger.warning("A view of work %s was not recorded: %s", work.pk, exc)
