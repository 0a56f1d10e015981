"""Trimming the change log (`search.WorkChange`), which would otherwise grow for ever.

App processes replay the log from their own mark, and a loaded snapshot from the mark it was
saved at (ADR 0002). A row may go once it is both older than POLIS_CHANGELOG_KEEP_DAYS and
below the saved snapshot's mark (less the re-read window): a process starting now loads that
snapshot and needs nothing older. A process still behind the trimmed part (idle for days, or
an app server whose own snapshot is older) reads the marker row a trim leaves (its work id
is minus the trim's boundary) in `Accelerator.sync`, and rebuilds instead of missing changes.
Run by the task worker as a periodic job.
"""

import json
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from polis.search.accel_columns import REREAD_WINDOW
from polis.search.models import WorkChange

_BATCH = 5000
_MAX_BATCHES = 200  # one run removes at most a million rows; the next run goes on


def saved_snapshot_mark() -> int | None:
    from polis.search.snapshot import snapshot_path

    try:
        return int(json.loads((snapshot_path() / "meta.json").read_text())["change_mark"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def changelog_trim(*, now=None) -> int:
    """Delete log rows no process can need any more; how many were deleted."""
    mark = saved_snapshot_mark()
    if not mark:
        return 0
    below = mark - REREAD_WINDOW
    older = (now or timezone.now()) - timedelta(days=settings.POLIS_CHANGELOG_KEEP_DAYS)
    deleted = 0
    for _ in range(_MAX_BATCHES):
        ids = list(
            WorkChange.objects.filter(id__lt=below, created_at__lt=older)
            .order_by("id")
            .values_list("id", flat=True)[:_BATCH]
        )
        if not ids:
            break
        deleted += WorkChange.objects.filter(id__in=ids).delete()[0]
    if deleted:
        # The marker every process reads next: "rows below this id are gone" (accel.sync).
        WorkChange.objects.create(work_id=-below)
    return deleted
