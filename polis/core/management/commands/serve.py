"""`polis serve`: the production server (Granian, WSGI) plus a supervised task worker.

The worker (`polis worker`) is restarted whenever it exits, with back-off (1 s doubling to
60 s, back to 1 s once a worker has lived a minute), and each restart is logged. The server
refuses to start, saying why, when the data directory cannot be written.
"""

import os
import signal
import subprocess
import sys
import threading
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


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
            help="Do not start the task worker (run `polis worker` separately).",
        )

    def handle(self, *args, host: str, port: int, workers: int, no_worker: bool, **options):
        problem = data_dir_problem(settings.DATA_DIR)
        if problem:
            raise CommandError(problem)
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "polis.settings"}
        supervisor = None
        if not no_worker and "django_tasks_db" in settings.TASKS["default"]["BACKEND"]:
            supervisor = WorkerSupervisor(
                [sys.executable, "-m", "polis.cli", "worker", "--interval", "1"], env, self.stderr
            )
            supervisor.start()
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
            if supervisor:
                supervisor.stop()
            if server.poll() is None:
                server.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        code = server.wait()
        stop(None, None)
        if supervisor:
            supervisor.join(timeout=15)
        sys.exit(code)


def data_dir_problem(path) -> str:
    """Why the archive cannot write its data directory, or "" when it can."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / f".write-test-{os.getpid()}"
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as exc:
        return (
            f"The data directory {path} is not writable ({exc.strerror or exc}). "
            "Polis keeps its database, uploads and search snapshot there: fix its permissions "
            "or free some space, or point POLIS_DATA_DIR somewhere writable."
        )
    return ""


class WorkerSupervisor(threading.Thread):
    """Keeps one task worker running: restarts it with back-off whenever it exits."""

    def __init__(self, cmd: list[str], env: dict, log):
        super().__init__(name="worker-supervisor", daemon=True)
        self.cmd, self.env, self.log = cmd, env, log
        self.process: subprocess.Popen | None = None
        self.restarts = 0
        self._stopping = threading.Event()

    def run(self) -> None:
        delay = 1.0
        while not self._stopping.is_set():
            started = time.monotonic()
            self.process = subprocess.Popen(self.cmd, env=self.env)
            code = self.process.wait()
            if self._stopping.is_set():
                return
            if time.monotonic() - started > 60:
                delay = 1.0
            self.restarts += 1
            self.log.write(
                f"polis serve: the task worker exited with code {code}; "
                f"restarting it in {delay:.0f} s (restart {self.restarts})\n"
            )
            self._stopping.wait(delay)
            delay = min(delay * 2, 60.0)

    def stop(self) -> None:
        self._stopping.set()
        process = self.process
        if process and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
