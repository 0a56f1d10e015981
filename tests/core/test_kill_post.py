"""kill -9 of `polis serve` in the middle of a large work post leaves no half-saved work.

Real processes on a real SQLite archive: a 300-chapter work is posted through the API once to
time it, then again, and the whole server (Granian's process group, web workers and task
worker) is killed with SIGKILL part-way through the second post. After a restart the second
work is either all there, with every chapter, or not there at all; no chapter, tagging or
creatorship row points at a work that is not there, and `polis doctor` finds every counter,
filter set, word count and the search index right.
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest

from tests.core.test_serve import _env, _free_port, _polis, _sql
from tests.processes import migrated_sqlite

# Its own SQLite archive whatever the leg: run once, on the SQLite leg.
pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="its own SQLite archive: the SQLite leg runs it"
)
CHAPTERS = 300
MAKE_WRITER = """
from polis.accounts.models import User
from polis.api.actions import token_create
poster = User.objects.create_user("poster", "p@example.org", "a-long-test-password")
print(token_create(actor=poster, name="kill test")[1])
"""


def _serve(env, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "-m", "polis.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=10):
                return server
        except urllib.error.HTTPError:
            return server  # it answers (a 503 while the worker's first beat is due)
        except OSError:
            assert time.monotonic() < deadline and server.poll() is None, "did not start"
            time.sleep(0.2)


def _post(port: int, token: str, title: str) -> tuple[int, dict]:
    chapter = "<p>" + " ".join(["The keeper wrote another page of the log."] * 25) + "</p>"
    body = {
        "title": title,
        "rating": "General Audiences",
        "warnings": ["No Archive Warnings Apply"],
        "fandoms": ["Original Work"],
        "freeforms": [f"{title} Tag"],
        "chapters": [{"title": f"Part {n}", "text": chapter} for n in range(CHAPTERS)],
    }
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/works",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=300) as response:
        return response.status, json.loads(response.read())


def _chapters_of(tmp_path, title: str) -> list[tuple[int, int]]:
    return _sql(
        tmp_path,
        "SELECT w.id, (SELECT count(*) FROM works_chapter c WHERE c.work_id = w.id AND c.posted)"
        f" FROM works_work w WHERE w.title = '{title}'",
    )


def test_kill_9_in_the_middle_of_a_300_chapter_post_leaves_all_or_nothing(tmp_path):
    # An archive that lets one post carry 300 chapters (the default bound is 200).
    env = _env(tmp_path, POLIS_WEB_WORKERS="1", POLIS_MAX_CHAPTERS_PER_POST=str(CHAPTERS))
    migrated_sqlite(env)
    token = _polis(env, "shell", stdin=MAKE_WRITER).strip().splitlines()[-1]
    port = _free_port()
    server = _serve(env, port)
    try:
        started = time.monotonic()
        status, first = _post(port, token, "Timed Post")
        took = time.monotonic() - started
        assert status == 201
        assert _chapters_of(tmp_path, "Timed Post") == [(first["id"], CHAPTERS)]

        outcome: dict = {}

        def post() -> None:
            try:
                outcome["answer"] = _post(port, token, "Killed Post")
            except OSError as error:  # the connection dies with the server
                outcome["error"] = error

        poster = threading.Thread(target=post)
        poster.start()
        time.sleep(took * 0.4)
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=30)
        poster.join(timeout=60)
        # The kill came while the post was being saved: it was never acknowledged.
        assert "answer" not in outcome and "error" in outcome, outcome
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=30)

    server = _serve(env, _free_port())
    try:
        # All or nothing: the killed post is not there, or it is there with every chapter.
        killed = _chapters_of(tmp_path, "Killed Post")
        assert [chapters for _, chapters in killed] in ([], [CHAPTERS])
        assert _chapters_of(tmp_path, "Timed Post") == [(first["id"], CHAPTERS)]
        for table in ("works_chapter", "works_creatorship", "works_tagging"):
            orphans = (
                f"SELECT count(*) FROM {table} WHERE work_id NOT IN (SELECT id FROM works_work)"
            )
            assert _sql(tmp_path, orphans) == [(0,)], table
        stored = _sql(tmp_path, "SELECT chapter_count FROM works_work ORDER BY id")
        assert stored == [(CHAPTERS,)] * (1 + len(killed))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)

    doctor = subprocess.run(
        [sys.executable, "-m", "polis.cli", "doctor"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    assert doctor.stdout.splitlines() == [
        "counters: ok",
        "filter sets: ok",
        "search index: ok",
        "word counts: ok",
    ]
    with sqlite3.connect(tmp_path / "polis.sqlite3") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
