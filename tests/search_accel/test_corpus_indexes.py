"""An interrupted `polis bench corpus` never leaves the archive without its indexes.

The load drops the secondary indexes of the tables it fills and builds them at the end.
Before, a run stopped in between (Ctrl-C, kill -9) left them dropped for good, and every
listing slow. Now Ctrl-C builds them on the way out (try/finally), and after kill -9 the
dropped indexes are recorded in the database (bench.bulk.MARKER), so the next run builds
them first. Real `polis bench corpus` processes on a fresh archive.
"""

import signal
import subprocess
import sys
import time

import pytest

from bench.bulk import LOADED_TABLES, MARKER
from tests.processes import database_rows, fresh_archive, run_polis


@pytest.fixture
def archive(tmp_path):
    with fresh_archive(tmp_path, "polis_corpus") as env:
        yield env


def indexes(env) -> set[str]:
    marks = ", ".join("?" * len(LOADED_TABLES))
    if env.get("DATABASE_URL", "").startswith("postgres"):
        sql = f"SELECT indexname FROM pg_indexes WHERE tablename IN ({marks})"
    else:
        sql = f"SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ({marks})"
    return {name for (name,) in database_rows(env, sql, LOADED_TABLES)}


def recorded(env) -> int | None:
    """How many dropped indexes the marker records; None when there is no marker."""
    try:
        return database_rows(env, f"SELECT count(*) FROM {MARKER}", [])[0][0]
    except Exception:  # no such table (sqlite3 and psycopg name it differently)
        return None


def start_corpus(env, works: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "polis.cli", "bench", "corpus", "--works", str(works)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_until_loading(env, process: subprocess.Popen) -> None:
    """Until the indexes are dropped and the load is under way."""
    deadline = time.monotonic() + 120
    while not recorded(env):
        assert process.poll() is None, process.stderr.read()
        assert time.monotonic() < deadline, "the corpus never dropped its indexes"
        time.sleep(0.01)


def test_kill_9_mid_load_then_the_next_run_builds_the_indexes_first(archive):
    before = indexes(archive)
    assert len(before) > 10
    corpus = start_corpus(archive, 40_000)
    wait_until_loading(archive, corpus)
    corpus.send_signal(signal.SIGKILL)
    corpus.wait()
    left = indexes(archive)
    missing = before - left
    assert missing  # the fault: indexes dropped, the run gone
    assert recorded(archive) == len(missing)  # but the archive remembers which

    again = run_polis(archive, "bench", "corpus", "--works", "300")
    assert " built " in again.stdout
    assert indexes(archive) == before
    assert recorded(archive) is None


def test_ctrl_c_mid_load_builds_the_indexes_on_the_way_out(archive):
    before = indexes(archive)
    corpus = start_corpus(archive, 40_000)
    wait_until_loading(archive, corpus)
    corpus.send_signal(signal.SIGINT)
    _, stderr = corpus.communicate(timeout=300)
    assert corpus.returncode != 0
    assert "KeyboardInterrupt" in stderr or corpus.returncode == -signal.SIGINT
    assert indexes(archive) == before
    assert recorded(archive) is None
