"""Copying the database out and back in: SQLite's online backup API, or pg_dump/pg_restore.

Both report progress through tqdm (pages for SQLite, dump items for PostgreSQL).
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection
from tqdm import tqdm

# The whole database in one step of SQLite's backup: a single read transaction, which in WAL
# mode blocks no writer. Copying in several steps would restart the copy after every commit
# of another process, so a busy archive might never finish.
SQLITE_PAGES_PER_STEP = -1


def _bar(progress: bool, **options) -> tqdm:
    return tqdm(disable=not progress, leave=False, **options)


def sqlite_backup(target: Path, *, progress: bool) -> None:
    """A consistent copy of the live database (safe while the site serves: readers and
    writers go on while it is read)."""
    connection.ensure_connection()
    source = connection.connection
    destination = sqlite3.connect(target)
    with _bar(progress, desc="database", unit="page") as bar:

        def step(status, remaining, total):
            bar.total = total
            bar.n = total - remaining
            bar.refresh()

        try:
            source.backup(destination, pages=SQLITE_PAGES_PER_STEP, progress=step)
        finally:
            destination.close()
    check = sqlite3.connect(target)
    try:
        result = check.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        check.close()
    if result != "ok":
        raise RuntimeError(f"the copy failed SQLite's integrity check: {result}")


def sqlite_restore(source: Path) -> None:
    """Put the copy where the settings look for the database (Polis must be stopped)."""
    name = Path(connection.settings_dict["NAME"])
    connection.close()
    name.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{name}{suffix}").unlink(missing_ok=True)
    shutil.move(source, name)


def sqlite_has_data() -> bool:
    name = Path(connection.settings_dict["NAME"])
    return name.is_file() and name.stat().st_size > 0


def _pg_environment() -> dict[str, str]:
    """libpq's variables for the database Django is connected to."""
    db = connection.settings_dict
    env = {**os.environ, "PGDATABASE": db["NAME"]}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[variable] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _run_counting(command: list[str], bar: tqdm, env: dict[str, str]) -> None:
    """Run a pg tool with --verbose, one step of `bar` per line it logs."""
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    lines = []
    for line in process.stderr:
        lines.append(line)
        bar.update(1)
    if process.wait() != 0:
        raise RuntimeError(f"{command[0]} failed:\n{''.join(lines[-20:])}")


def pg_backup(target: Path, *, snapshot: str | None, progress: bool) -> None:
    """pg_dump --format=custom of the database, at `snapshot` (an exported snapshot id) when
    one is given, so that what else the caller counted in that snapshot matches the dump."""
    command = ["pg_dump", "--format=custom", "--no-owner", "--verbose", f"--file={target}"]
    if snapshot:
        command.append(f"--snapshot={snapshot}")
    with _bar(progress, desc="pg_dump", unit="item") as bar:
        _run_counting(command, bar, _pg_environment())


def pg_restore(source: Path, *, progress: bool) -> None:
    """pg_restore into the configured database, dropping what is there first (--clean)."""
    env = _pg_environment()
    listing = subprocess.run(
        ["pg_restore", "--list", str(source)], env=env, capture_output=True, text=True, check=True
    )
    items = sum(1 for line in listing.stdout.splitlines() if line and not line.startswith(";"))
    connection.close()
    command = [
        "pg_restore",
        "--clean",
        "--if-exists",
        "--no-owner",
        "--exit-on-error",
        "--single-transaction",
        "--verbose",
        f"--dbname={env['PGDATABASE']}",
        str(source),
    ]
    with _bar(progress, desc="pg_restore", unit="item", total=items) as bar:
        _run_counting(command, bar, env)


def pg_has_data() -> bool:
    return bool(connection.introspection.table_names())
