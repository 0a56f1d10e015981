"""`polis serve`: the production server (Granian, WSGI) plus a background-task worker."""

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the archive with Granian and run the background-task worker beside it."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("POLIS_WEB_WORKERS", "2")),
            help="Granian worker processes (default 2, one per core here).",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not start the task worker (run `polis db_worker` separately).",
        )

    def handle(self, *args, host: str, port: int, workers: int, no_worker: bool, **options):
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "polis.settings"}
        worker = None
        if not no_worker and "django_tasks_db" in settings.TASKS["default"]["BACKEND"]:
            worker = subprocess.Popen(
                [sys.executable, "-m", "polis.cli", "db_worker", "--interval", "1"], env=env
            )
        server_cmd = [
            sys.executable,
            "-m",
            "granian",
            "--interface",
            "wsgi",
            "--host",
            host,
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--blocking-threads",
            os.environ.get("POLIS_WEB_THREADS", "4"),
            "polis.wsgi:application",
        ]
        if settings.POLIS_SEARCH_ACCEL:
            # Make (or bring up to date) the search snapshot once, before the web workers
            # start, so each maps it in a moment instead of the first readers waiting.
            subprocess.run([sys.executable, "-m", "polis.cli", "search", "warm"], env=env)
        self.stdout.write(f"Serving {settings.SITE_NAME} on http://{host}:{port}/")
        server = subprocess.Popen(server_cmd, env=env)

        def stop(signum, frame):
            for process in (server, worker):
                if process and process.poll() is None:
                    process.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        code = server.wait()
        stop(None, None)
        if worker:
            worker.wait(timeout=10)
        sys.exit(code)
