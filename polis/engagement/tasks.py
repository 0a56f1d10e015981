"""Background work of readers' feedback, through django-tasks, and the hooks that queue it.

Works actions call the `after_*` hooks; they queue the task once the transaction commits,
so subscribers are never told about something that was rolled back.
"""

import datetime
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from polis.engagement import digests, hits, notifications
from polis.works.models import Chapter, Series, Work


@task()
def notify_new_work(work_id: int) -> int:
    return notifications.notify_new_work(work_id)


@task()
def notify_new_chapter(chapter_id: int) -> int:
    return notifications.notify_new_chapter(chapter_id)


@task()
def notify_series_addition(work_id: int, series_id: int) -> int:
    return notifications.notify_series_addition(work_id, series_id)


@task()
def send_digests() -> int:
    return digests.digests_send()[1]


@task()
def flush_hits() -> int:
    return hits.hits_flush()


def _digest_soon() -> None:
    """Queue one digest run per period when the backend can run tasks later."""
    minutes = settings.POLIS_DIGEST_MINUTES
    backend = send_digests.get_backend()
    if not minutes or not getattr(backend, "supports_defer", False):
        return
    now = timezone.now()
    slot = int(now.timestamp() // (minutes * 60))
    if cache.add(f"polis:digest:queued:{slot}", 1, timeout=minutes * 60 * 2):
        run_after = datetime.datetime.fromtimestamp((slot + 1) * minutes * 60, tz=datetime.UTC)
        send_digests.using(run_after=max(run_after, now + datetime.timedelta(seconds=1))).enqueue()


def _queue(queued_task, *args) -> None:
    queued_task.enqueue(*args)
    _digest_soon()


def after_notifications() -> None:
    """Call when notifications were made in this transaction: a digest goes out later."""
    transaction.on_commit(_digest_soon)


def after_work_posted(work: Work) -> None:
    """Call when a work becomes visible: its creators' and series' subscribers hear of it."""
    transaction.on_commit(partial(_queue, notify_new_work, work.pk))


def after_chapter_posted(chapter: Chapter) -> None:
    """Call when a chapter of a posted work becomes visible."""
    transaction.on_commit(partial(_queue, notify_new_chapter, chapter.pk))


def after_series_addition(work: Work, series: Series) -> None:
    transaction.on_commit(partial(_queue, notify_series_addition, work.pk, series.pk))
