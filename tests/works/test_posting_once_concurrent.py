"""Two requests with one posting token at the same moment make one work (and one chapter).

Real threads, each with its own database connection (a transactional test), on whichever
database the run uses (SQLite by default; PostgreSQL with DATABASE_URL). The first request is
held inside its transaction, after the work exists but before its commit, by a listener on
the works' own "work posted" event; the second starts meanwhile, finds no committed token,
and must still not create: its insert of the token waits for the first and then loses.

SQLite's in-memory test database (shared cache) locks whole tables and ignores the busy
timeout, which a real (file) database does not; on it, each test runs itself again in a
child pytest on a SQLite file (POLIS_TEST_SQLITE_NAME), as the archive runs.
"""

import importlib
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection

from polis.works import events
from polis.works.actions import ChapterInput, WorkInput
from polis.works.idempotency import chapter_add_once, work_create_once
from polis.works.models import Chapter, PostingToken, Work

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
ROOT = Path(__file__).resolve().parents[2]


_reports: dict[str, str] = {}


def _file_run(tmp_path_factory) -> str:
    """This module's tests run once in a child pytest on a SQLite file; its report."""
    if "file" in _reports:
        return _reports["file"]
    scratch = tmp_path_factory.mktemp("sqlite-file")
    env = {**os.environ, "POLIS_TEST_SQLITE_NAME": str(scratch / "test.sqlite3")}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:xdist", "-p", "no:cacheprovider",
         str(Path(__file__).relative_to(ROOT))],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    _reports["file"] = result.stdout + result.stderr
    return _reports["file"]


def _on_a_file_instead(request, tmp_path_factory) -> bool:
    """On in-memory SQLite, assert this test passed on a SQLite file; True when it did."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        return False
    report = _file_run(tmp_path_factory)
    assert f"PASSED {Path(__file__).relative_to(ROOT)}::{request.node.name}" in report, report
    return True


@pytest.fixture(autouse=True)
def _fixed_tags(db):
    """Earlier transactional tests flush the tables, and with them the ratings and warnings
    that a data migration made: make them again, as that migration does."""
    from django.apps import apps

    importlib.import_module("polis.tags.migrations.0002_fixed_tags").create(apps, None)


@pytest.fixture
def hold_first_post():
    """Once armed, the next `work posted` (or `chapter posted`) event says so (`inside`) and
    waits 0.8 s inside its transaction, while the second request is let go."""
    inside = threading.Event()
    held = {"armed": False}

    def hold(*_args) -> None:
        if not held["armed"]:
            return
        held["armed"] = False
        inside.set()
        time.sleep(0.8)

    def arm() -> threading.Event:
        held["armed"] = True
        return inside

    hold.__qualname__ = "test_hold_first_post"
    events.on_work_posted(hold)
    events.on_chapter_posted(hold)
    yield arm
    key = f"{hold.__module__}.{hold.__qualname__}"
    events._work_posted.pop(key, None)
    events._chapter_posted.pop(key, None)


def _run_both(first, second, inside: threading.Event) -> list:
    results, errors = [None, None], []

    def run(index, call) -> None:
        try:
            results[index] = call()
        except Exception as error:  # noqa: BLE001 — reported below, failing the test
            errors.append(error)
        finally:
            connection.close()

    one = threading.Thread(target=run, args=(0, first))
    two = threading.Thread(target=run, args=(1, second))
    one.start()
    assert inside.wait(20), "the first request never reached its commit"
    two.start()
    one.join(30)
    two.join(30)
    assert not errors, errors
    return results


def _post(user, key: str):
    return lambda: work_create_once(
        key=key,
        actor=user,
        pseuds=[user.pseuds.get(is_default=True)],
        data=WorkInput(
            title="Twice Clicked",
            rating="General Audiences",
            warnings=["No Archive Warnings Apply"],
            fandoms=["Original Work"],
        ),
        chapter=ChapterInput(text="<p>Once.</p>"),
        post=True,
    )


def test_two_concurrent_posts_with_one_token_make_one_work(
    make_user, hold_first_post, request, tmp_path_factory
):
    if _on_a_file_instead(request, tmp_path_factory):
        return
    writer = make_user("writer")

    (first, made), (second, made_again) = _run_both(
        _post(writer, "tok-1"), _post(writer, "tok-1"), hold_first_post()
    )

    assert (made, made_again) == (True, False)
    assert first.pk == second.pk
    assert list(Work.objects.values_list("pk", flat=True)) == [first.pk]
    assert Chapter.objects.filter(work=first).count() == 1
    assert list(PostingToken.objects.values_list("key", "work_id")) == [("tok-1", first.pk)]


def test_two_concurrent_chapter_adds_with_one_token_add_one(
    make_user, make_work, hold_first_post, request, tmp_path_factory
):
    if _on_a_file_instead(request, tmp_path_factory):
        return
    writer = make_user("writer")
    work = make_work(writer)

    def add():
        return chapter_add_once(
            key="chap-1",
            actor=writer,
            work=Work.objects.get(pk=work.pk),
            data=ChapterInput(text="<p>Two.</p>", title="Two"),
            post=True,
        )

    (first, made), (second, made_again) = _run_both(add, add, hold_first_post())

    assert (made, made_again) == (True, False)
    assert first.pk == second.pk
    assert list(work.chapters.order_by("position").values_list("title", flat=True)) == ["", "Two"]
    assert Work.objects.get(pk=work.pk).chapter_count == 2
