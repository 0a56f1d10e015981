"""The task worker survives: lost tasks are handed on, periodic jobs run, /health reports."""

from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from polis.core import periodic
from polis.core.models import WorkerHeartbeat
from polis.core.worker import PolisWorker, recover_lost_tasks
from polis.tags.tasks import refresh_filter_sets
from tests.processes import in_process_worker

pytestmark = pytest.mark.django_db


def _worker(**options) -> PolisWorker:
    return in_process_worker("test-worker", **options)


def _running(worker_id: str, *, started_ago: float) -> DBTaskResult:
    result = DBTaskResult.objects.get(pk=refresh_filter_sets.enqueue([]).id)
    result.claim(worker_id)
    DBTaskResult.objects.filter(pk=result.pk).update(
        started_at=timezone.now() - timedelta(seconds=started_ago)
    )
    return DBTaskResult.objects.get(pk=result.pk)


def _beat(worker_id: str, *, ago: float, task: str = "") -> None:
    moment = timezone.now() - timedelta(seconds=ago)
    WorkerHeartbeat.objects.create(
        worker_id=worker_id, host="h", pid=1, started_at=moment, beat_at=moment, current_task=task
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the worker commits
def test_a_task_whose_worker_died_runs_again_and_finishes():
    lost = _running("dead-worker", started_ago=300)
    assert recover_lost_tasks(lease_seconds=60) == (1, 0)
    lost.refresh_from_db()
    assert lost.status == TaskResultStatus.READY
    _worker().run()
    lost.refresh_from_db()
    assert lost.status == TaskResultStatus.SUCCESSFUL
    assert lost.worker_ids == ["dead-worker", "test-worker"]
    assert lost.return_value == 0


def test_a_long_task_of_a_live_worker_is_left_alone():
    long = _running("busy-worker", started_ago=300)
    _beat("busy-worker", ago=2, task=str(long.pk))
    assert recover_lost_tasks(lease_seconds=60) == (0, 0)
    _beat("stale-worker", ago=500, task="")
    young = _running("stale-worker", started_ago=10)
    assert recover_lost_tasks(lease_seconds=60) == (0, 0)  # within its lease: not yet
    long.refresh_from_db()
    young.refresh_from_db()
    assert (long.status, young.status) == (TaskResultStatus.RUNNING, TaskResultStatus.RUNNING)


def test_a_live_worker_that_no_longer_runs_the_task_loses_it():
    orphan = _running("worker-a", started_ago=300)
    _beat("worker-a", ago=1, task="")  # alive, but busy with nothing: the task was dropped
    assert recover_lost_tasks(lease_seconds=60) == (1, 0)
    orphan.refresh_from_db()
    assert orphan.status == TaskResultStatus.READY


def test_a_task_that_kills_every_worker_fails_after_three_attempts():
    doomed = _running("w1", started_ago=300)
    DBTaskResult.objects.filter(pk=doomed.pk).update(worker_ids=["w1", "w2", "w3"])
    assert recover_lost_tasks(lease_seconds=60, max_attempts=3) == (0, 1)
    doomed.refresh_from_db()
    assert doomed.status == TaskResultStatus.FAILED
    assert doomed.exception_class_path == "polis.core.worker.WorkerLost"
    assert "w3 stopped while running this task, 3 attempts" in doomed.traceback


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the worker commits
def test_a_database_error_in_the_loop_is_survived(monkeypatch):
    """One failed claim (SQLite's "database is locked", say) costs a back-off, not the worker."""
    task = DBTaskResult.objects.get(pk=refresh_filter_sets.enqueue([]).id)
    worker = _worker(batch=False, max_tasks=1)
    real_claim, failures = worker.claim_one, []

    def claim_once_locked():
        if not failures:
            failures.append(1)
            raise OperationalError("database is locked")
        return real_claim()

    monkeypatch.setattr(worker, "claim_one", claim_once_locked)
    monkeypatch.setattr(worker, "_sleep", lambda seconds: None)
    worker.run()
    task.refresh_from_db()
    assert failures == [1]
    assert task.status == TaskResultStatus.SUCCESSFUL


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the worker commits
def test_the_worker_beats_and_removes_its_beat_when_it_stops():
    worker = _worker()
    worker.beat()
    beat = WorkerHeartbeat.objects.get(worker_id="test-worker")
    assert beat.current_task == ""
    assert (timezone.now() - beat.beat_at).total_seconds() < 5
    worker.run()
    assert not WorkerHeartbeat.objects.filter(worker_id="test-worker").exists()


def test_periodic_jobs_run_when_due_and_a_failing_one_does_not_stop_the_rest(monkeypatch):
    ran = []
    monkeypatch.setattr(periodic, "_jobs", {})
    periodic.register("b.ok", every=60, run=lambda: ran.append("ok"))
    periodic.register("a.fails", every=60, run=lambda: 1 / 0)
    periodic.register("c.later", every=60, run=lambda: ran.append("later"), start_after=3600)
    worker = _worker(periodic_jobs=True)
    worker.run_due_jobs()
    worker.run_due_jobs()  # not due again for a minute
    assert ran == ["ok"]


def test_the_registered_periodic_jobs():
    names = [job.name for job in periodic.jobs()]
    assert names == [
        "collections.reveal_due",
        "digests.send",
        "hits.flush",
        "imports.resume_stale",
        "search.changelog_trim",
        "search.snapshot_refresh",
    ]


def test_health_reports_worker_and_queue(client):
    body = client.get("/health").json()
    assert body["status"] == "degraded"  # no worker has beaten
    assert body["database"]["ok"] and body["cache"]["ok"]
    assert body["worker"] == {"ok": False, "workers": 0, "heartbeat_age": None, "running": 0}
    refresh_filter_sets.enqueue([])
    _beat("w-live", ago=3)
    response = client.get("/health")
    body = response.json()
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    assert body["status"] == "ok"
    assert body["worker"]["workers"] == 1
    assert 2.5 <= body["worker"]["heartbeat_age"] < 30
    assert body["queue"]["ready"] == 1
    assert body["queue"]["failed_last_day"] == 0
    assert 0 <= body["queue"]["oldest_ready_age"] < 30


def test_admins_see_the_queue_and_the_workers(client, make_user):
    refresh_filter_sets.enqueue([])
    _beat("w-admin", ago=1)
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    queue = client.get("/admin/django_tasks_database/dbtaskresult/")
    assert queue.status_code == 200
    assert "refresh_filter_sets" in queue.content.decode()
    workers = client.get("/admin/core/workerheartbeat/")
    assert workers.status_code == 200
    assert "w-admin" in workers.content.decode()
