"""Helpers for the tests that run Polis as real processes: the `polis` command in a
subprocess, and a scratch PostgreSQL database made for one test and dropped after it."""

import contextlib
import subprocess
import sys
import uuid
from collections.abc import Iterator
from urllib.parse import urlparse, urlunparse


def run_polis(env: dict, *args: str, stdin: str | None = None, check: bool = True, cwd=None):
    """`polis ARGS` in a subprocess; with `check`, a failure shows the command's stderr."""
    done = subprocess.run(
        [sys.executable, "-m", "polis.cli", *args],
        env=env,
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert not check or done.returncode == 0, f"polis {args[0]}: {done.stderr[-3000:]}"
    return done


@contextlib.contextmanager
def scratch_postgres(url: str, prefix: str) -> Iterator[str]:
    """A fresh, empty database on the server `url` names; yields its URL, drops it after."""
    import psycopg

    database = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = urlunparse(urlparse(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{database}"')
    try:
        yield urlunparse(urlparse(url)._replace(path=f"/{database}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                [database],
            )
            conn.execute(f'DROP DATABASE IF EXISTS "{database}"')
