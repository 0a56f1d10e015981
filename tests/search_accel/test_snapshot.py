"""The accelerator's snapshot on disk: saved once, loaded by later processes, never stale."""

import random

import numpy as np
import pytest
from django.core.management import call_command
from django.db import connection

from bench.corpus import build_corpus
from polis.search import accel, accel_columns, snapshot
from polis.tags.models import Tag
from polis.works.actions import ChapterInput, WorkInput, work_create, work_delete
from polis.works.models import Work
from tests.search_accel.test_parity import _assert_parity, _popular

pytestmark = pytest.mark.django_db


@pytest.fixture
def snapshot_dir(settings, tmp_path):
    settings.POLIS_SEARCH_ACCEL = True
    settings.POLIS_SEARCH_SNAPSHOT_DIR = tmp_path / "search"
    accel.reset()
    yield tmp_path / "search"
    accel.reset()


@pytest.fixture
def corpus():
    return build_corpus(works=200, seed=5, progress=False)


def _post(writer, fandom: str) -> Work:
    return work_create(
        actor=writer,
        pseuds=[writer.pseuds.get()],
        data=WorkInput(
            title="After the snapshot",
            rating="General Audiences",
            warnings=["No Archive Warnings Apply"],
            fandoms=[fandom],
        ),
        chapter=ChapterInput(text="<p>w3 w4 posted later</p>"),
        post=True,
    )


def _alive_ids(accelerator) -> list[int]:
    size = accelerator.size
    return accelerator.ids[:size][accelerator.alive[:size]].tolist()


def test_the_first_process_builds_and_saves_and_the_next_loads_it(snapshot_dir, corpus):
    first = accel.get()
    path = snapshot.snapshot_path()
    assert path.parent == snapshot_dir
    assert {p.name for p in path.iterdir()} == {
        "meta.json",
        "ids.npy",
        "alive.npy",
        *(f"col_{name}.npy" for name in accel_columns.COLUMNS),
        *(f"{name}.npy" for name in ("work_ptr", "work_tags", "tag_works", "tag_ptr")),
        "dense_ids.npy",
        "type_code.npy",
    }

    accel.reset()
    loaded = snapshot.load(path)

    assert (
        _alive_ids(loaded)
        == _alive_ids(first)
        == list(Work.objects.filter(posted=True).order_by("pk").values_list("pk", flat=True))
    )
    # The postings are mapped read-only from the files, shared between processes.
    assert isinstance(loaded.tag_works, np.memmap)
    assert not loaded.tag_works.flags.writeable
    pools = {kind: _popular(kind) for kind in ("fandom", "freeform")}
    _assert_parity(loaded, random.Random(3), pools, rounds=40)


def test_a_loaded_snapshot_replays_what_was_written_after_it(snapshot_dir, corpus, make_user):
    accel.get()
    accel.reset()
    writer = make_user("later")
    fandom = Tag.objects.get(pk=_popular("fandom")[0])
    new = _post(writer, fandom.name)
    gone = Work.objects.filter(posted=True).exclude(pk=new.pk).order_by("pk").first()
    work_delete(actor=gone.creatorships.get().pseud.user, work=gone)

    loaded = accel.get()

    assert new.pk in _alive_ids(loaded)
    assert gone.pk not in _alive_ids(loaded)
    pools = {kind: _popular(kind) for kind in ("fandom", "freeform")}
    _assert_parity(loaded, random.Random(4), pools, rounds=40)


def test_a_snapshot_of_another_state_of_the_database_is_rebuilt(snapshot_dir, corpus):
    accel.get()
    accel.reset()
    # As after a restore: works vanish without a trace in the change log.
    doomed = list(Work.objects.filter(posted=True).order_by("pk").values_list("pk", flat=True)[:5])
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM search_workdoc WHERE work_id IN ({', '.join(map(str, doomed))})"
        )

    rebuilt = accel.get()

    assert not set(doomed) & set(_alive_ids(rebuilt))
    assert snapshot.matches_database(snapshot.load(snapshot.snapshot_path()))


def test_the_snapshot_command_rebuilds_it(snapshot_dir, corpus, capsys):
    call_command("search", "snapshot")

    out = capsys.readouterr().out
    works = Work.objects.filter(posted=True).count()
    assert out.startswith(f"Saved the search snapshot of {works:,} works to {snapshot_dir}/")
    assert snapshot.load(snapshot.snapshot_path()).size == works


def test_warm_builds_a_missing_snapshot_then_only_loads_it(snapshot_dir, corpus, capsys):
    works = Work.objects.filter(posted=True).count()

    call_command("search", "warm")
    saved = (snapshot.snapshot_path() / "meta.json").stat().st_mtime_ns
    accel.reset()
    call_command("search", "warm")

    lines = capsys.readouterr().out.splitlines()
    assert [line.split(" ready in ")[0] for line in lines] == [
        f"Search snapshot of {works:,} works",
        f"Search snapshot of {works:,} works",
    ]
    # The second warm-up loaded the snapshot the first one saved: nothing was rewritten.
    assert (snapshot.snapshot_path() / "meta.json").stat().st_mtime_ns == saved
