"""Helpers for the tests that run Polis as real processes: the `polis` command in a
subprocess, and a scratch PostgreSQL database made for one test and dropped after it."""

import contextlib
import fcntl
import hashlib
import importlib.metadata
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent


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
def scratch_postgres(url: str, prefix: str, migrated: bool = False) -> Iterator[str]:
    """A fresh database on the server `url` names; yields its URL, drops it after.

    Empty, or with `migrated` a copy of a migrated template (made once per set of
    migrations, as `migrated_sqlite` does for SQLite).
    """
    import psycopg

    database = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = urlunparse(urlparse(url)._replace(path="/postgres"))
    template = _postgres_template(url, admin) if migrated else None
    with psycopg.connect(admin, autocommit=True) as conn:
        if template:
            conn.execute(f'CREATE DATABASE "{database}" TEMPLATE "{template}"')
        else:
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


def _postgres_template(url: str, admin: str) -> str:
    """The name of a migrated template database on `url`'s server, made if missing."""
    import psycopg

    name = f"polis_template_{_migrations_key()}"
    with open(Path(tempfile.gettempdir()) / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with psycopg.connect(admin, autocommit=True) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                return name
            building = f"{name}_building"
            conn.execute(f'DROP DATABASE IF EXISTS "{building}"')
            conn.execute(f'CREATE DATABASE "{building}"')
        target = urlunparse(urlparse(url)._replace(path=f"/{building}"))
        run_polis({**_base_env(), "DATABASE_URL": target}, "migrate", "-v0")
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
    return name


def _base_env() -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "polis.settings"}
    env.pop("PYTEST_XDIST_WORKER", None)
    return env


def _migrations_key() -> str:
    """What a migrated archive depends on: every migration file here and each installed
    distribution's version (third-party apps bring migrations too)."""
    digest = hashlib.sha256(sys.executable.encode())
    for path in sorted(ROOT.glob("polis/*/migrations/*.py")):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    for dist in sorted(f"{d.name}=={d.version}" for d in importlib.metadata.distributions()):
        digest.update(dist.encode())
    return digest.hexdigest()[:16]


def migrated_sqlite(env: dict) -> None:
    """Give `env`'s POLIS_DATA_DIR a freshly migrated, empty SQLite archive.

    `polis migrate` costs 8 s of CPU; it runs once per set of migrations on this machine
    (into a template under the system's temporary directory, behind a file lock, so xdist
    workers and the two CI legs share it), and each test gets a copy of the file.
    """
    template = Path(tempfile.gettempdir()) / f"polis-migrated-{_migrations_key()}"
    with open(f"{template}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (template / "ready").exists():
            shutil.rmtree(template, ignore_errors=True)
            template.mkdir()
            environment = {**env, "POLIS_DATA_DIR": str(template)}
            environment.pop("DATABASE_URL", None)
            run_polis(environment, "migrate", "-v0")
            (template / "ready").touch()
    target = Path(env["POLIS_DATA_DIR"])
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template / "polis.sqlite3", target / "polis.sqlite3")


@contextlib.contextmanager
def fresh_archive(data_dir: Path, prefix: str, **extra: str) -> Iterator[dict]:
    """The environment of a freshly migrated archive in `data_dir`: an SQLite file there, or
    on the PostgreSQL leg (DATABASE_URL set) a scratch database dropped afterwards."""
    env = {**_base_env(), "POLIS_DATA_DIR": str(data_dir), **extra}
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        with scratch_postgres(url, prefix, migrated=True) as database:
            yield {**env, "DATABASE_URL": database}
    else:
        migrated_sqlite(env)
        yield env


def task_status(env: dict, task_id: str) -> str:
    """A task's status, read straight from the archive's database."""
    if not env.get("DATABASE_URL", "").startswith("postgres"):
        task_id = task_id.replace("-", "")  # SQLite keeps a UUID as 32 hex digits
    return database_rows(
        env, "SELECT status FROM django_tasks_database_dbtaskresult WHERE id = ?", [task_id]
    )[0][0]


def database_rows(env: dict, sql: str, params: list) -> list[tuple]:
    """Rows of `sql` (with `?` placeholders) from the archive `env` names, on a connection of
    its own."""
    url = env.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            return conn.execute(sql.replace("?", "%s"), params).fetchall()
    import sqlite3

    conn = sqlite3.connect(f"{env['POLIS_DATA_DIR']}/polis.sqlite3", timeout=30)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def in_process_worker(worker_id: str, **options):
    """The project's task worker run in the test's own process: every queue, one batch (it
    stops when nothing is due), no start-up delay, no periodic jobs, no retry back-off;
    `options` override any of these."""
    from polis.core.worker import PolisWorker

    defaults = dict(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
        periodic_jobs=False,
        retry_backoff=0,
    )
    return PolisWorker(**{**defaults, **options})
