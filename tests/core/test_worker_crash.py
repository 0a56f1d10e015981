"""kill -9 of the task worker in the middle of a filter-set refresh of ~1,000 works.

Real processes on a real archive (an SQLite file, or a fresh PostgreSQL database on the
PostgreSQL leg): a wrangler gives a tag on ~1,000 works a new meta tag, which queues a
refresh; the worker is killed while running it, leaving the task RUNNING and the filter sets
wrong (before this, for good: "793 Works" where 413 was true). A new worker is then started
while another process holds the database's write lock, and with no hand step the lost task
is run again: every filter set, count and listing is right.
"""

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from tests.processes import migrated_sqlite, run_polis, scratch_postgres

WRANGLE = """
from polis.accounts.models import User
from polis.tags.models import Tag, TagType
from polis.tags.actions import tags_find_or_create
from polis.tags.wrangling import tag_add_meta, tag_set_canonical
from polis.tags.filters import works_affected_by
from django_tasks_db.models import DBTaskResult
wrangler = User.objects.create_user(
    "wrangler", "w@example.org", "pw-long-enough", is_tag_wrangler=True
)
sub = max(Tag.objects.filter(type=TagType.FREEFORM, canonical=True, merger=None),
          key=lambda tag: tag.taggings.count())
[meta] = tags_find_or_create(names=["Crash Meta"], tag_type=TagType.FREEFORM)
tag_set_canonical(actor=wrangler, tag=meta, canonical=True)
tag_add_meta(actor=wrangler, sub=sub, meta=meta)
task = DBTaskResult.objects.get(task_path="polis.tags.tasks.refresh_filter_sets")
print(task.pk, len(works_affected_by([sub.pk])), meta.pk)
"""

LISTING = """
import re
from django.test import Client
from polis.tags.models import FilterTagging, Tag
from polis.works.visibility import listed_works
meta = Tag.objects.get(name="Crash Meta")
page = Client().get(meta.get_works_url()).content.decode()
filtered = FilterTagging.objects.filter(tag=meta).values("work_id")
public = listed_works().filter(restricted=False, pk__in=filtered).count()
print(re.search(r"of ([0-9,]+) Works", page).group(1).replace(",", ""), public, filtered.count())
"""


@pytest.fixture
def archive(tmp_path):
    env = {
        **os.environ,
        "POLIS_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "polis.settings",
    }
    env.pop("PYTEST_XDIST_WORKER", None)
    url = os.environ.get("DATABASE_URL", "")
    with contextlib.ExitStack() as stack:
        if url.startswith("postgres"):
            env["DATABASE_URL"] = stack.enter_context(
                scratch_postgres(url, "polis_crash", migrated=True)
            )
        else:
            migrated_sqlite(env)
        yield env


polis = run_polis


def task_status(env, task_id: str) -> str:
    url = env.get("DATABASE_URL", "")
    query = "SELECT status FROM django_tasks_database_dbtaskresult WHERE id = "
    if url.startswith("postgres"):
        import psycopg

        with psycopg.connect(url) as conn:
            return conn.execute(query + "%s", [task_id]).fetchone()[0]
    with sqlite3.connect(f"{env['POLIS_DATA_DIR']}/polis.sqlite3", timeout=30) as conn:
        return conn.execute(query + "?", [task_id.replace("-", "")]).fetchone()[0]


def start_worker(env) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "polis.cli",
            "worker",
            "--lease",
            "2",
            "--heartbeat",
            "0.5",
            "--interval",
            "0.1",
            "--no-periodic",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(env, task_id: str, status: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while task_status(env, task_id) != status:
        assert time.monotonic() < deadline, f"task never became {status}"
        time.sleep(0.02)


def kill_while_running(env, worker: subprocess.Popen, task_id: str) -> None:
    """kill -9 the worker the moment its task is seen RUNNING.

    The worker marks the task RUNNING, then runs the refresh (~1,000 works: hundreds of
    milliseconds) and commits it whole; polled every few milliseconds, the first RUNNING
    seen is at the refresh's start, far from its commit, so the refresh is certainly lost.
    (A look under a write lock cannot be used: the refresh holds that lock until it commits.)
    """
    deadline = time.monotonic() + 120
    while (status := task_status(env, task_id)) == "READY":
        assert time.monotonic() < deadline, "the worker never started the task"
        time.sleep(0.003)
    assert status == "RUNNING", f"the task became {status} before it could be killed"
    worker.send_signal(signal.SIGKILL)
    worker.wait()


def test_kill_9_during_a_filter_set_refresh_then_a_restart_repairs_everything(archive):
    polis(archive, "bench", "corpus", "--works", "1500")
    task_id, affected, _ = polis(archive, "shell", stdin=WRANGLE).stdout.split()[-3:]
    assert int(affected) > 900

    worker = start_worker(archive)
    kill_while_running(archive, worker, task_id)
    assert task_status(archive, task_id) == "RUNNING"  # the fault: left running, by no one
    damaged = polis(archive, "doctor", "--check", "filter sets", check=False)
    assert damaged.returncode == 1
    assert "filter sets: work " in damaged.stdout

    lock = None
    if not archive.get("DATABASE_URL", "").startswith("postgres"):
        # Another writer holds SQLite's lock as the new worker starts: it must wait, not die.
        lock = sqlite3.connect(f"{archive['POLIS_DATA_DIR']}/polis.sqlite3", isolation_level=None)
        lock.execute("BEGIN EXCLUSIVE")
    worker = start_worker(archive)
    try:
        if lock:
            time.sleep(7)
            assert worker.poll() is None, worker.stderr.read()
            lock.execute("COMMIT")
            lock.close()
        wait_for(archive, task_id, "SUCCESSFUL", timeout=180)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
        print(worker.stderr.read())

    # (The synthetic corpus has counters without kudos rows: tests/core/test_doctor.py.)
    checks = ["--check", "filter sets", "--check", "search index", "--check", "word counts"]
    healthy = polis(archive, "doctor", *checks, check=False)
    assert healthy.returncode == 0, healthy.stdout + healthy.stderr
    assert healthy.stdout.splitlines() == [
        "filter sets: ok",
        "search index: ok",
        "word counts: ok",
    ]
    shown, public, filtered = polis(archive, "shell", stdin=LISTING).stdout.split()[-3:]
    assert int(filtered) == int(affected)  # every affected work now filters on the meta tag
    assert int(shown) == int(public) > 800  # and the guest's tag page counts them all
