"""`polis worker`: run background tasks, with a heartbeat, lease recovery and periodic jobs.

`polis serve` starts (and restarts) one; on more than one server, run one or more per machine
beside the app servers (docs/deploy.md). See polis.core.worker for what it adds to
django-tasks' own `db_worker`.
"""

import logging

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_tasks.base import DEFAULT_TASK_QUEUE_NAME

from polis.core import worker as polis_worker


class Command(BaseCommand):
    help = "Run the background-task worker (heartbeat, crash recovery, periodic jobs)."

    def add_arguments(self, parser):
        parser.add_argument("--queue-name", default="*", help="queues, comma-separated; * = all")
        parser.add_argument("--interval", type=float, default=1.0, help="idle poll, seconds")
        parser.add_argument("--batch", action="store_true", help="run what is due, then exit")
        parser.add_argument("--max-tasks", type=int, default=None)
        parser.add_argument("--lease", type=float, default=polis_worker.LEASE_SECONDS)
        parser.add_argument("--heartbeat", type=float, default=polis_worker.HEARTBEAT_SECONDS)
        parser.add_argument("--max-attempts", type=int, default=polis_worker.MAX_ATTEMPTS)
        parser.add_argument(
            "--retry-backoff",
            type=float,
            default=polis_worker.RETRY_BACKOFF,
            help="seconds before a task stopped by a transient database error runs again "
            "(doubling each attempt)",
        )
        parser.add_argument(
            "--no-periodic", action="store_true", help="do not run the periodic jobs here"
        )
        parser.add_argument(
            "--periodic-only",
            action="store_true",
            help="run only the periodic jobs (beside RQ's workers, which run the tasks)",
        )

    def handle(self, *args, **options):
        if (
            "django_tasks_db" not in settings.TASKS["default"]["BACKEND"]
            and not options["periodic_only"]
        ):
            raise CommandError(
                "POLIS_TASK_BACKEND is not the database backend: run that backend's own worker "
                "for the tasks (RQ: `polis rqworker --job-class django_tasks_rq.Job default`) "
                "and `polis worker --periodic-only` for the periodic jobs (docs/deploy.md)."
            )
        if options["periodic_only"] and options["no_periodic"]:
            raise CommandError("--periodic-only and --no-periodic contradict each other.")
        log = logging.getLogger("polis.worker")
        if not log.handlers:
            log.addHandler(logging.StreamHandler(self.stderr))
        log.setLevel(logging.INFO if options["verbosity"] else logging.ERROR)
        queues = options["queue_name"] or DEFAULT_TASK_QUEUE_NAME
        worker = polis_worker.PolisWorker(
            queue_names=queues.split(","),
            interval=options["interval"],
            batch=options["batch"],
            backend_name="default",
            startup_delay=False,
            max_tasks=options["max_tasks"],
            worker_id=polis_worker.new_worker_id(),
            excluded_queue_names=[],
            lease_seconds=options["lease"],
            heartbeat_seconds=options["heartbeat"],
            max_attempts=options["max_attempts"],
            retry_backoff=options["retry_backoff"],
            periodic_jobs=not options["no_periodic"],
            tasks=not options["periodic_only"],
        )
        worker.configure_signals()
        worker.run()
