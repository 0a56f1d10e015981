"""`polis serve` as an operator runs it: a real Granian server and task worker, real signals.

- it refuses to start, saying why, when its data directory cannot be written;
- a task worker killed with kill -9 is started again, and the restart is logged;
- hits still queued in a web worker are written when the server stops gracefully (before,
  a restart lost them: 40 views became 20 rows).
"""

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.processes import migrated_sqlite, run_polis

# Each test makes an SQLite archive of its own whatever the leg: run once, on the SQLite leg.
pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="its own SQLite archive: the SQLite leg runs it"
)
MAKE_WORK = """
from polis.accounts.models import User
from polis.works.actions import ChapterInput, WorkInput, work_create
writer = User.objects.create_user("writer", "w@example.org", "a-long-test-password")
work = work_create(
    actor=writer,
    pseuds=[writer.pseuds.get(is_default=True)],
    data=WorkInput(title="Hit Me", fandoms=["Original Work"], rating="General Audiences",
                   warnings=["No Archive Warnings Apply"]),
    chapter=ChapterInput(text="<p>Words.</p>"),
    post=True,
)
print(work.pk)
"""


def _env(tmp_path, **extra) -> dict:
    env = {**os.environ, "POLIS_DATA_DIR": str(tmp_path), **extra}
    for name in ("DATABASE_URL", "REDIS_URL", "PYTEST_XDIST_WORKER"):
        env.pop(name, None)  # an SQLite archive of its own, with its local-memory cache
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _polis(env, *args, stdin=None) -> str:
    return run_polis(env, *args, stdin=stdin).stdout


def _sql(tmp_path, query: str):
    with sqlite3.connect(tmp_path / "polis.sqlite3", timeout=30) as conn:
        return conn.execute(query).fetchall()


def test_serve_refuses_a_data_directory_it_cannot_write(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    done = subprocess.run(
        [sys.executable, "-m", "polis.cli", "serve", "--port", str(_free_port())],
        env=_env(blocker / "data"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert f"The data directory {blocker / 'data'} is not writable" in done.stderr
    assert "Serving" not in done.stdout


def test_serve_restarts_a_killed_worker_and_keeps_queued_hits_on_a_graceful_stop(tmp_path):
    env = _env(tmp_path, POLIS_HITS_FLUSH_SECONDS="3600", POLIS_WEB_WORKERS="1")
    migrated_sqlite(env)
    work_id = int(_polis(env, "shell", stdin=MAKE_WORK).split()[-1])
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "polis.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not _sql(tmp_path, "SELECT pid FROM core_workerheartbeat"):
            assert time.monotonic() < deadline and server.poll() is None, "no worker beat"
            time.sleep(0.2)
        [(first_pid,)] = _sql(tmp_path, "SELECT pid FROM core_workerheartbeat")
        os.kill(first_pid, signal.SIGKILL)
        while True:
            pids = [pid for (pid,) in _sql(tmp_path, "SELECT pid FROM core_workerheartbeat")]
            if any(pid != first_pid for pid in pids):
                break
            assert time.monotonic() < deadline, "the worker was not restarted"
            time.sleep(0.2)

        for reader in range(5):
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/works/{work_id}",
                headers={"User-Agent": f"reader {reader}"},
            )
            with urllib.request.urlopen(request, timeout=30) as response:
                assert response.status == 200
        assert _sql(tmp_path, f"SELECT hit_count FROM works_work WHERE id = {work_id}") == [(0,)]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        out, err = server.communicate(timeout=60)
    assert "the task worker exited with code -9; restarting it in 1 s (restart 1)" in err
    assert _sql(tmp_path, f"SELECT hit_count FROM works_work WHERE id = {work_id}") == [(5,)]
