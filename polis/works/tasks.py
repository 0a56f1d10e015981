"""Background work of works: posting what writers scheduled (polis.works.scheduling)."""

import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django_tasks import task


@task()
def post_scheduled() -> list[str]:
    """Post what is due, then make sure a sweep follows while anything is still scheduled."""
    from polis.works.scheduling import posting_due

    posted = posting_due()
    queue_sweep()
    return posted


def _deferrable() -> bool:
    return bool(getattr(post_scheduled.get_backend(), "supports_defer", False))


def queue_posting(at: datetime.datetime) -> None:
    """A run of `post_scheduled` at `at` (when the backend can run tasks later; without one,
    `polis post_scheduled` from cron does the posting), and the sweep behind it."""
    if _deferrable():
        post_scheduled.using(run_after=at).enqueue()
    queue_sweep()


def queue_sweep() -> None:
    """One sweep per period while anything is scheduled: if a post's own task is lost, the
    sweep posts it at most POLIS_SCHEDULE_SWEEP_MINUTES late."""
    from polis.works.scheduling import next_scheduled

    minutes = settings.POLIS_SCHEDULE_SWEEP_MINUTES
    if not minutes or not _deferrable():
        return
    due = next_scheduled()
    if due is None:
        return
    now = timezone.now()
    period = minutes * 60
    boundary = datetime.datetime.fromtimestamp(
        (int(now.timestamp() // period) + 1) * period, tz=datetime.UTC
    )
    run_after = max(min(boundary, due), now)
    # One queued sweep per moment, however many writers schedule in the same period.
    if cache.add(f"polis:schedule-sweep:{int(run_after.timestamp())}", 1, timeout=period * 2):
        post_scheduled.using(run_after=run_after).enqueue()
