"""A task stopped by a transient database error (a lock held past the busy timeout, a killed
connection) runs again after a back-off, and fails for good, with the reason, only after
`max_attempts`. Before this, one "database is locked" inside a task failed it for ever.

The faults are real (tests/core/faulty_tasks.py): another connection holds SQLite's write
lock, or kills the task's PostgreSQL connection. The worker is the real one: in this process
for the exact bookkeeping, and as a `polis worker` process on a fresh archive.
"""

import json
import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import OperationalError
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from polis.core.transient import is_transient_database_error
from polis.core.worker import PolisWorker
from tests.core.faulty_tasks import query_a_missing_table, write_through_faults
from tests.processes import database_rows, fresh_archive, in_process_worker, run_polis

transactional = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _worker(**options) -> PolisWorker:
    return in_process_worker("retry-worker", **options)


def _groups(prefix: str) -> list[str]:
    return list(Group.objects.filter(name__startswith=prefix).values_list("name", flat=True))


def _enqueue(task, *args) -> DBTaskResult:
    return DBTaskResult.objects.get(pk=task.enqueue(*args).id)


@transactional
def test_a_task_stopped_twice_by_the_database_runs_a_third_time_and_succeeds():
    result = _enqueue(write_through_faults, "retried", 2)
    _worker(max_attempts=3).run()
    result.refresh_from_db()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 3
    assert result.worker_ids == ["retry-worker"] * 3
    assert (result.exception_class_path, result.traceback) == ("", "")
    assert _groups("retried") == ["retried"]  # the faulted attempts wrote nothing


@transactional
def test_a_task_stopped_every_time_fails_for_good_with_the_reason():
    result = _enqueue(write_through_faults, "doomed", 5)
    _worker(max_attempts=2).run()
    result.refresh_from_db()
    assert result.status == TaskResultStatus.FAILED
    assert result.worker_ids == ["retry-worker"] * 2
    assert result.exception_class_path == "django.db.utils.OperationalError"
    first_line = result.traceback.splitlines()[0]
    assert first_line.startswith(
        "Gave up after 2 attempts, each stopped by a transient database error; "
        "the last: OperationalError: "
    )
    assert result.finished_at is not None
    assert _groups("doomed") == []


@transactional
def test_the_next_attempt_waits_out_a_back_off_that_doubles():
    result = _enqueue(write_through_faults, "later", 5)
    before = timezone.now()
    _worker(max_attempts=3, retry_backoff=40).run()  # batch: nothing else is due, it stops
    result.refresh_from_db()
    assert result.status == TaskResultStatus.READY
    assert result.worker_ids == ["retry-worker"]
    assert timedelta(seconds=40) <= result.run_after - before < timedelta(seconds=45)
    assert result.traceback.startswith("Attempt 1 of 3 stopped by: OperationalError: ")

    DBTaskResult.objects.filter(pk=result.pk).update(run_after=timezone.now())
    before = timezone.now()
    _worker(max_attempts=3, retry_backoff=40).run()
    result.refresh_from_db()
    assert result.status == TaskResultStatus.READY
    assert result.worker_ids == ["retry-worker"] * 2
    assert timedelta(seconds=80) <= result.run_after - before < timedelta(seconds=85)


@transactional
def test_an_error_that_would_happen_again_fails_at_once():
    result = _enqueue(query_a_missing_table)
    _worker(max_attempts=3).run()
    result.refresh_from_db()
    assert result.status == TaskResultStatus.FAILED
    assert result.worker_ids == ["retry-worker"]
    assert not result.traceback.startswith("Gave up")


def test_which_errors_are_transient():
    assert is_transient_database_error(OperationalError("database is locked"))
    assert is_transient_database_error(OperationalError("database table is locked: auth_group"))
    assert not is_transient_database_error(OperationalError("no such table: polis_x"))
    assert not is_transient_database_error(OperationalError("database or disk is full"))
    assert not is_transient_database_error(ValueError("database is locked"))
    try:
        try:
            raise OperationalError("database is locked")
        except OperationalError as exc:
            raise RuntimeError("while refreshing") from exc
    except RuntimeError as wrapped:
        assert is_transient_database_error(wrapped)  # raised from a lock error


# --- the real `polis worker` process on a fresh archive -------------------------------------

ENQUEUE = """
from tests.core.faulty_tasks import write_through_faults
print(write_through_faults.enqueue("from-a-process", 1).id)
"""


@pytest.fixture
def archive(tmp_path):
    with fresh_archive(tmp_path, "polis_retry") as env:
        yield env


def _row(env, task_id: str):
    postgres = env.get("DATABASE_URL", "").startswith("postgres")
    [(status, workers, value)] = database_rows(
        env,
        "SELECT status, worker_ids, return_value FROM django_tasks_database_dbtaskresult"
        " WHERE id = ?",
        [task_id if postgres else task_id.replace("-", "")],
    )
    if not postgres:
        workers, value = json.loads(workers), json.loads(value) if value else None
    return status, len(workers), value


def test_the_worker_process_runs_a_task_again_after_a_real_database_fault(archive):
    task_id = run_polis(archive, "shell", stdin=ENQUEUE).stdout.split()[-1]
    started = time.monotonic()
    worker = run_polis(
        archive, "worker", "--batch", "--no-periodic", "--retry-backoff", "0", "--max-attempts", "3"
    )
    assert _row(archive, task_id) == ("SUCCESSFUL", 2, 2), worker.stderr
    assert "attempt 1 of 3, next in 0 s" in worker.stderr
    assert time.monotonic() - started < 120
