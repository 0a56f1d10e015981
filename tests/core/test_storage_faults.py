"""Real storage faults under an SQLite archive (tests/core/test_degraded.py makes the
database read-only with a pragma; these break the file system the archive lives on):

- a full disk: reads work, writes get the clear 503, and writes work again once there is
  room. The data directory is a tmpfs a little larger than the archive, filled to the last
  byte with a file once the work is posted;
- a read-only data directory under a stopped archive: SQLite cannot make the WAL files it
  needs to open the database at all, so nothing can be read; every page and API call gets a
  503 that says so (before: a generic 500 from the session lookup), and `polis serve`
  refuses to start, with the reason.

 Requests run through Django's whole stack in a
`polis` process of their own. Mounting needs root and CAP_SYS_ADMIN: without them the test
says so and is skipped, as it cannot be done honestly any other way.
"""

import contextlib
import errno
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from polis.core.degraded import MESSAGE, UNREACHABLE
from tests.processes import fresh_archive, run_polis

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="its own SQLite archive: the SQLite leg runs it"
)

SET_UP = """
from django.test import Client
from polis.accounts.models import User
from polis.api.actions import token_create
from polis.works.actions import ChapterInput, WorkInput, work_create
writer = User.objects.create_user("writer", "w@example.org", "a-long-test-password")
reader = User.objects.create_user("reader", "r@example.org", "a-long-test-password")
work = work_create(
    actor=writer,
    pseuds=[writer.pseuds.get(is_default=True)],
    data=WorkInput(title="Still Readable", fandoms=["Original Work"], rating="General Audiences",
                   warnings=["No Archive Warnings Apply"]),
    chapter=ChapterInput(text="<p>Words on a full disk.</p>"),
    post=True,
)
_, token = token_create(actor=reader, name="e-reader")
browser = Client()
browser.force_login(reader)
print(work.pk, token, browser.cookies["sessionid"].value)
"""

REQUESTS = """
import json
from django.test import Client
from polis.engagement.models import Kudos
work_id, token, session = {args!r}
guest, reader = Client(), Client()
reader.cookies["sessionid"] = session
page = guest.get(f"/works/{{work_id}}")
mine = reader.get(f"/works/{{work_id}}")
kudos = reader.post(f"/works/{{work_id}}/kudos")
api = guest.post(f"/api/v1/works/{{work_id}}/kudos", content_type="application/json",
                 headers={{"Authorization": f"Bearer {{token}}"}})
print(json.dumps({{
    "page": [page.status_code, "Still Readable" in page.content.decode()],
    "reader_page": mine.status_code,
    "kudos": [kudos.status_code, kudos.get("Retry-After"), kudos.content.decode()],
    "api": [api.status_code, api.content.decode()],
    "kudos_rows": Kudos.objects.count(),
}}))
"""


@pytest.fixture
def tiny_disk():
    mount_point = Path(tempfile.mkdtemp(prefix="polis-full-disk-"))
    size = 8 * 1024 * 1024
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        mount_point.rmdir()
        pytest.skip(f"a tmpfs cannot be mounted here (needs root): {done.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)
        mount_point.rmdir()


def fill(directory: Path) -> Path:
    """Write a file until the file system has not one byte left."""
    filler = directory / "filler"
    with open(filler, "wb", buffering=0) as file:
        for chunk in (65536, 4096, 512, 1):
            with contextlib.suppress(OSError):
                while True:
                    file.write(b"\0" * chunk)
    with pytest.raises(OSError) as full:
        (directory / "one-more").write_bytes(b"x")
    assert full.value.errno == errno.ENOSPC
    return filler


def ask(env, args) -> dict:
    script = REQUESTS.format(args=args)
    return json.loads(run_polis(env, "shell", stdin=script).stdout.splitlines()[-1])


def test_a_full_disk_keeps_reads_and_answers_writes_with_a_503(tiny_disk):
    with fresh_archive(tiny_disk / "data", "unused") as env:
        args = run_polis(env, "shell", stdin=SET_UP).stdout.split()[-3:]
        database = Path(env["POLIS_DATA_DIR"]) / "polis.sqlite3"
        # An app server keeps the archive open, so its WAL and shared-memory files stay
        # allocated (a fresh process on a full tmpfs could not even map them).
        holder = sqlite3.connect(database)
        holder.execute("SELECT count(*) FROM works_work").fetchone()
        try:
            filler = fill(tiny_disk)
            full = ask(env, args)
            assert full["page"] == [200, True]
            assert full["reader_page"] == 200
            status, retry_after, body = full["kudos"]
            assert (status, retry_after) == (503, "300")
            assert MESSAGE in body
            assert full["api"][0] == 503
            assert json.loads(full["api"][1]) == {"detail": MESSAGE, "errors": []}
            assert full["kudos_rows"] == 0  # nothing half-saved

            filler.unlink()
            room = ask(env, args)
            assert room["kudos"][0] == 302
            assert room["kudos_rows"] == 1
        finally:
            holder.close()
            shutil.rmtree(env["POLIS_DATA_DIR"], ignore_errors=True)


ASK_ANYTHING = """
import json
from django.test import Client
answers = {}
for path in ["/", "/works", "/api/v1/works"]:
    response = Client(raise_request_exception=False).get(path)
    answers[path] = [response.status_code, response.get("Retry-After"), response.content.decode()]
print(json.dumps(answers))
"""


def test_a_read_only_data_directory_answers_a_clear_503_and_serve_refuses_it(tiny_disk):
    with fresh_archive(tiny_disk, "unused") as env:
        subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], check=True)
        with pytest.raises(OSError) as refused:
            (tiny_disk / "probe").write_text("x")
        assert refused.value.errno == errno.EROFS

        answers = json.loads(run_polis(env, "shell", stdin=ASK_ANYTHING).stdout.splitlines()[-1])
        for path in ["/", "/works"]:
            status, retry_after, body = answers[path]
            assert (status, retry_after) == (503, "300"), path
            assert f'<p role="alert">{UNREACHABLE}</p>' in body
        status, retry_after, body = answers["/api/v1/works"]
        assert (status, retry_after) == (503, "300")
        assert json.loads(body) == {"detail": UNREACHABLE, "errors": []}

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        serve = subprocess.run(
            [sys.executable, "-m", "polis.cli", "serve", "--port", str(port)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert serve.returncode == 1
        assert f"The data directory {tiny_disk} is not writable" in serve.stderr
