"""The task worker `polis worker`: django-tasks' database worker, made to survive.

django_tasks_db's worker claims a READY task, marks it RUNNING and runs it. Alone it has three
failure modes an archive cannot live with: an OperationalError while claiming (SQLite's
"database is locked" outside the cases it expects) ends the process; a task whose worker was
killed stays RUNNING for ever; and nothing outside the process can tell it is alive.

This worker keeps the library's claim and run code and adds:

- **a heartbeat**: a thread writes `core.WorkerHeartbeat` every `heartbeat` seconds, with the
  task it is running; `/health` reports its age;
- **lease recovery**: a RUNNING task started more than `lease` seconds ago whose worker has no
  fresh heartbeat (or no longer says it runs that task) is made READY again, or FAILED with
  `WorkerLost` once it has been tried `max_attempts` times. Every task must therefore be safe
  to run twice (ADR 0009);
- **errors that do not kill**: a database error in the loop is logged and retried with
  back-off (1 s doubling to 30 s); the loop only ends on a signal;
- **tasks retried after a transient database error** (polis.core.transient: a lock held past
  the busy timeout, a lost connection, a deadlock): the task is made READY again to run after
  `retry_backoff` seconds, doubling each attempt (at most 5 minutes), and after `max_attempts`
  attempts it is FAILED with the reason. Any other error fails it at once, as before;
- **periodic jobs** (polis.core.periodic): hits flush, digests, reveals, snapshot refresh,
  run between tasks.

`polis serve` runs one of these and restarts it if it exits anyway.
"""

import contextlib
import logging
import os
import socket
import threading
import time
import uuid
from datetime import timedelta
from traceback import format_exception

from django.core.exceptions import SuspiciousOperation
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.compat import TaskContext, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from polis.core import periodic
from polis.core.models import WorkerHeartbeat
from polis.core.transient import is_transient_database_error

logger = logging.getLogger("polis.worker")

LEASE_SECONDS = 120
HEARTBEAT_SECONDS = 5
MAX_ATTEMPTS = 3
RETRY_BACKOFF = 5.0
_RETRY_BACKOFF_MAX = 300.0
_OUTCOME_WRITES = 5
RECOVER_EVERY = 15
_RECOVER_BATCH = 200
_BACKOFF_MAX = 30.0
_BATCH_GIVE_UP = 5


class WorkerLost(Exception):
    """The worker running this task stopped (killed, crashed) before it finished."""


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


def recover_lost_tasks(
    *, lease_seconds: float = LEASE_SECONDS, max_attempts: int = MAX_ATTEMPTS
) -> tuple[int, int]:
    """Hand back tasks whose worker died: (made ready again, failed for good)."""
    now = timezone.now()
    cutoff = now - timedelta(seconds=lease_seconds)
    alive = dict(
        WorkerHeartbeat.objects.filter(beat_at__gte=cutoff).values_list("worker_id", "current_task")
    )
    retried = failed = 0
    stale = DBTaskResult.objects.running().filter(started_at__lt=cutoff).order_by("started_at")
    for result in stale[:_RECOVER_BATCH]:
        owner = result.worker_ids[-1] if result.worker_ids else ""
        if owner in alive and alive[owner] == str(result.pk):
            continue  # a long task whose worker is still beating
        claim = DBTaskResult.objects.filter(
            pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at
        )
        if len(result.worker_ids) >= max_attempts:
            done = claim.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=f"{__name__}.WorkerLost",
                traceback=(
                    f"WorkerLost: the worker {owner} stopped while running this task, "
                    f"{len(result.worker_ids)} attempts in all.\n"
                ),
            )
            failed += done
            if done:
                logger.error("Task %s (%s) failed: worker lost", result.pk, result.task_path)
        else:
            done = claim.update(status=TaskResultStatus.READY, run_after=now)
            retried += done
            if done:
                logger.warning(
                    "Task %s (%s) handed back: its worker %s stopped",
                    result.pk,
                    result.task_path,
                    owner,
                )
    return retried, failed


class PolisWorker(Worker):
    def __init__(
        self,
        *,
        lease_seconds: float = LEASE_SECONDS,
        heartbeat_seconds: float = HEARTBEAT_SECONDS,
        max_attempts: int = MAX_ATTEMPTS,
        retry_backoff: float = RETRY_BACKOFF,
        periodic_jobs: bool = True,
        tasks: bool = True,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.lease_seconds = lease_seconds
        self.heartbeat_seconds = heartbeat_seconds
        self.max_attempts = max_attempts
        self.retry_backoff = retry_backoff
        self.periodic_jobs = periodic_jobs
        # False: periodic jobs only, beside another backend's workers (RQ: docs/deploy.md).
        self.tasks = tasks
        self.current_task = ""
        self.started_at = timezone.now()
        self._stop_beating = threading.Event()
        self._next_recovery = 0.0

    # --- heartbeat ------------------------------------------------------------------------

    def beat(self) -> None:
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "host": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": self.started_at,
                "beat_at": timezone.now(),
                "current_task": self.current_task,
                "tasks_run": self._run_tasks,
            },
        )

    def _first_beat(self) -> None:
        """Say this worker is alive before it runs anything, waiting out a busy database (an
        SQLite archive another writer holds past the busy timeout) instead of dying of it."""
        backoff = 1.0
        while True:
            try:
                self.beat()
                return
            except DatabaseError as exc:
                if self.batch or not self.running:
                    raise
                logger.warning("Heartbeat not written (%s); retrying in %.0f s", exc, backoff)
                close_old_connections()
                self._sleep(backoff)
                backoff = min(backoff * 2, _BACKOFF_MAX)

    def _beat_forever(self) -> None:
        while not self._stop_beating.wait(self.heartbeat_seconds):
            try:
                self.beat()
            except DatabaseError:
                logger.warning("Heartbeat not written (database busy); next in a moment")
            finally:
                close_old_connections()
        connection.close()

    # --- the loop -------------------------------------------------------------------------

    def run(self) -> None:
        logger.info("Starting worker %s", self.worker_id)
        self._first_beat()
        beater = threading.Thread(target=self._beat_forever, name="heartbeat", daemon=True)
        beater.start()
        backoff, failures = 1.0, 0
        try:
            while self.running:
                try:
                    ran = self.step()
                    backoff = 1.0
                except DatabaseError as exc:
                    failures += 1
                    if self.batch and failures >= _BATCH_GIVE_UP:
                        raise  # `--batch` runs what is due once; it does not wait for ever
                    logger.warning("Worker loop: %s; retrying in %.0f s", exc, backoff)
                    close_old_connections()
                    self._sleep(backoff)
                    backoff = min(backoff * 2, _BACKOFF_MAX)
                    continue
                failures = 0
                if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                    return
                if self.batch and not ran:
                    return
                if self.running and not ran:
                    self._sleep(self.interval)
        finally:
            self._stop_beating.set()
            beater.join(timeout=self.heartbeat_seconds + 1)
            # If this fails the beat ages out, and /health reports the worker gone.
            with contextlib.suppress(DatabaseError):
                WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()

    def _sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while self.running and time.monotonic() < deadline:
            time.sleep(min(0.2, seconds))

    def step(self) -> bool:
        """One turn: maintenance when due, then at most one task. True if a task ran."""
        close_old_connections()
        if not self.tasks:
            self.run_due_jobs()
            return False
        if time.monotonic() >= self._next_recovery:
            recover_lost_tasks(lease_seconds=self.lease_seconds, max_attempts=self.max_attempts)
            self._next_recovery = time.monotonic() + RECOVER_EVERY
        if self.periodic_jobs:
            self.run_due_jobs()
        result = self.claim_one()
        if result is None:
            return False
        self.current_task = str(result.pk)
        try:
            self.run_task(result)
        finally:
            self.current_task = ""
        return True

    def claim_one(self) -> DBTaskResult | None:
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            result = tasks.get_locked()
            if result is not None:
                result.claim(self.worker_id)
        return result

    # --- running one task -----------------------------------------------------------------

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """The library's run (signals, context, result), except that a transient database
        error hands the task back to the queue with back-off instead of failing it."""
        self.running_task = True
        try:
            task = db_task_result.task
            task_result = db_task_result.task_result
            backend_type = task.get_backend()
            task_started.send(sender=backend_type, task_result=task_result)
            if task.takes_context:
                args = (TaskContext(task_result=task_result), *task_result.args)
            else:
                args = tuple(task_result.args)
            return_value = task.call(*args, **task_result.kwargs)
            db_task_result.set_successful(return_value)
            task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
        except BaseException as exc:
            if isinstance(exc, Exception) and is_transient_database_error(exc):
                self._after_transient_error(db_task_result, exc)
                return
            db_task_result.set_failed(exc)
            try:
                sender = type(db_task_result.task.get_backend())
                task_result = db_task_result.task_result
            except (ImportError, SuspiciousOperation):
                logger.exception("Task id=%s failed unexpectedly", db_task_result.id)
            else:
                task_finished.send(sender=sender, task_result=task_result)
        finally:
            self.running_task = False
            self._run_tasks += 1

    def _after_transient_error(self, result: DBTaskResult, exc: Exception) -> None:
        """READY again after a back-off, or FAILED with the reason after `max_attempts`.

        The write is itself retried (the lock may still be held, the connection is being
        remade); if it never lands the error reaches the loop, and the task, still RUNNING
        under this worker's name, is handed back by lease recovery once the worker stops
        naming it."""
        attempts = len(result.worker_ids)
        reason = f"{type(exc).__name__}: {exc}".strip()
        claim = DBTaskResult.objects.filter(
            pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at
        )
        now = timezone.now()
        if attempts >= self.max_attempts:
            fields = dict(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                return_value=None,
                exception_class_path=f"{type(exc).__module__}.{type(exc).__qualname__}",
                traceback=(
                    f"Gave up after {attempts} attempts, each stopped by a transient database "
                    f"error; the last: {reason}\n\n" + "".join(format_exception(exc))
                ),
            )
            logger.error("Task %s (%s) failed for good: %s", result.pk, result.task_path, reason)
        else:
            delay = min(self.retry_backoff * 2 ** (attempts - 1), _RETRY_BACKOFF_MAX)
            fields = dict(
                status=TaskResultStatus.READY,
                run_after=now + timedelta(seconds=delay),
                exception_class_path=f"{type(exc).__module__}.{type(exc).__qualname__}",
                traceback=f"Attempt {attempts} of {self.max_attempts} stopped by: {reason}\n",
            )
            logger.warning(
                "Task %s (%s): %s; attempt %d of %d, next in %.0f s",
                result.pk,
                result.task_path,
                reason,
                attempts,
                self.max_attempts,
                delay,
            )
        for write in range(1, _OUTCOME_WRITES + 1):
            close_old_connections()  # a connection the error broke is remade here
            try:
                claim.update(**fields)
                return
            except DatabaseError:
                if write == _OUTCOME_WRITES:
                    raise
                time.sleep(0.2 * write)

    def run_due_jobs(self) -> None:
        for job in periodic.due_jobs():
            try:
                job.run()
            except Exception:
                logger.exception("Periodic job %s failed; it runs again at its next time", job.name)
                close_old_connections()
