"""The change log is trimmed below the saved snapshot's mark once old enough, and a process
that had not read the trimmed part rebuilds instead of missing the changes in it."""

import datetime

import pytest
from django.utils import timezone

from polis.search import accel, changelog, snapshot
from polis.search.models import WorkChange
from polis.search.query import WorkFilter
from polis.works.actions import WorkInput, work_update

pytestmark = pytest.mark.django_db


def _titles(accelerator) -> list[int]:
    found = accelerator.candidates(WorkFilter(), None)
    return sorted(int(i) for i in accelerator.ids[found])


def test_old_rows_below_the_snapshot_go_and_a_process_behind_them_rebuilds(make_work, monkeypatch):
    monkeypatch.setattr(changelog, "REREAD_WINDOW", 0)
    first = make_work(title="First")
    behind = accel.get()  # a process that read the log up to here, then went quiet
    mark_behind = behind.change_mark
    second = make_work(title="Second")
    data = WorkInput.of(first)
    data.title = "First, edited"
    work_update(actor=first.pseuds.first().user, work=first, data=data)
    accel.reset()
    saved = snapshot.snapshot_refresh()  # the worker's snapshot, after both changes
    newest = make_work(title="Newest")  # written after the snapshot: must stay in the log

    assert changelog.changelog_trim() == 0  # nothing is old enough yet
    WorkChange.objects.update(created_at=timezone.now() - datetime.timedelta(days=8))
    trimmed = changelog.changelog_trim()
    assert (
        trimmed
        == WorkChange.objects.count()
        + trimmed
        - WorkChange.objects.filter(id__gte=saved.change_mark).count()
    )
    assert not WorkChange.objects.filter(id__lt=saved.change_mark).exists()
    assert WorkChange.objects.filter(work_id=newest.pk).exists()

    with pytest.raises(accel.RebuildNeeded):
        behind.sync()  # the changes after its mark are partly gone: replay cannot catch up
    assert mark_behind < saved.change_mark
    accel.reset()
    current = accel.get()  # a fresh process: the snapshot, then the rows kept after it
    assert _titles(current) == sorted([first.pk, second.pk, newest.pk])
