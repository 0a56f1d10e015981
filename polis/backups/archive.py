"""`polis backup` and `polis restore`: one .tar.gz holding everything an archive needs.

The archive, `polis-backup-<UTC stamp>.tar.gz`, holds at its top level:

- `manifest.json`: the format, the database vendor, when, the search change mark and the row
  count of every model's table at the moment of the copy;
- `database.sqlite3` (SQLite's online backup API: a consistent copy, safe while serving) or
  `database.pgdump` (`pg_dump --format=custom`, taken in the same snapshot as the counts);
- `secret_key` (when the data directory has one) and `media/` (uploads).

The download cache and the search snapshot are left out: both are rebuilt from the rows.
Restore refuses a data directory or database that already holds an archive unless forced,
puts everything back, migrates, checks the counts, and then verifies or rebuilds the search
snapshot (one whose change mark is ahead of the restored log is discarded: it describes
changes the restored database never had).
"""

import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from tqdm import tqdm

from polis.backups import database
from polis.search import snapshot

FORMAT = 1
MANIFEST = "manifest.json"
# What a data directory may hold and still count as fresh: settings write a key on start.
FRESH_NAMES = {"secret_key"}


class BackupError(RuntimeError):
    """A backup or restore that cannot go on; the message says why."""


def model_tables() -> list[str]:
    """Every table Django's models own (many-to-many tables included), sorted."""
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    existing = set(connection.introspection.table_names())
    return sorted(tables & existing)


def _counts(cursor) -> dict[str, int]:
    counts = {}
    for table in model_tables():
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def _change_mark(cursor) -> int:
    cursor.execute("SELECT COALESCE(MAX(id), 0) FROM search_workchange")
    return int(cursor.fetchone()[0])


def _add_tree(tar: tarfile.TarFile, root: Path, name: str, bar: tqdm) -> None:
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            tar.add(path, arcname=f"{name}/{path.relative_to(root)}", recursive=False)
            bar.update(path.stat().st_size)


def backup(to: Path, *, progress: bool = True, log: Callable[[str], None] = print) -> Path:
    """Write a backup archive into `to` and return its path."""
    to.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = to / f"polis-backup-{stamp}.tar.gz"
    if target.exists():
        raise BackupError(f"{target} already exists")
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"cannot back up a {vendor} database")
    with tempfile.TemporaryDirectory(dir=to, prefix=".polis-backup-") as work:
        work = Path(work)
        if vendor == "sqlite":
            dump = work / "database.sqlite3"
            log("Copying the database (SQLite online backup)…")
            database.sqlite_backup(dump, progress=progress)
            copy = sqlite3.connect(dump)
            try:
                cursor = copy.cursor()
                counts, mark = _counts(cursor), _change_mark(cursor)
            finally:
                copy.close()
        else:
            dump = work / "database.pgdump"
            log("Dumping the database (pg_dump --format=custom)…")
            counts, mark = _pg_dump_in_one_snapshot(dump, progress)
        manifest = {
            "format": FORMAT,
            "vendor": vendor,
            "created_at": datetime.now(UTC).isoformat(),
            "database": dump.name,
            "change_mark": mark,
            "tables": counts,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
        media = Path(settings.MEDIA_ROOT)
        secret = Path(settings.DATA_DIR) / "secret_key"
        size = dump.stat().st_size + sum(p.stat().st_size for p in media.rglob("*") if p.is_file())
        partial = work / "archive.tar.gz"
        log(f"Writing {target.name}…")
        with (
            tarfile.open(partial, "w:gz", compresslevel=6) as tar,
            tqdm(total=size, unit="B", unit_scale=True, disable=not progress, leave=False) as bar,
        ):
            tar.add(work / MANIFEST, arcname=MANIFEST)
            tar.add(dump, arcname=dump.name)
            bar.update(dump.stat().st_size)
            if secret.is_file():
                tar.add(secret, arcname="secret_key")
            _add_tree(tar, media, "media", bar)
        os.chmod(partial, 0o600)  # it holds the secret key and every account
        os.replace(partial, target)
    rows = sum(counts.values())
    log(f"Backed up {len(counts)} tables, {rows} rows, search change mark {mark}.")
    return target


def _pg_dump_in_one_snapshot(dump: Path, progress: bool) -> tuple[dict[str, int], int]:
    """Count the rows and dump them from one exported snapshot, so the counts are the dump's."""
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.autocommit = True
        with raw.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot_id = cursor.fetchone()[0]
            counts, mark = _counts(cursor), _change_mark(cursor)
            database.pg_backup(dump, snapshot=snapshot_id, progress=progress)
            cursor.execute("COMMIT")
    finally:
        raw.close()
    return counts, mark


@dataclass
class Restored:
    tables: int
    rows: int
    snapshot: str  # "verified", "rebuilt", "discarded and rebuilt"


def _is_fresh(data_dir: Path) -> list[str]:
    """What makes the target not fresh (empty list: it is fresh)."""
    found = []
    if data_dir.is_dir():
        for path in sorted(data_dir.iterdir()):
            if path.name in FRESH_NAMES:
                continue
            if path.is_dir() and not any(p.is_file() for p in path.rglob("*")):
                continue
            is_database = path == Path(connection.settings_dict["NAME"])
            if connection.vendor == "sqlite" and is_database and not database.sqlite_has_data():
                continue
            found.append(str(path))
    if connection.vendor == "postgresql" and database.pg_has_data():
        found.append(f"database {connection.settings_dict['NAME']} has tables")
    return found


def _extract(archive: Path, into: Path) -> dict:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(into, filter="data")
        return json.loads((into / MANIFEST).read_text())
    except (OSError, tarfile.TarError, ValueError) as error:
        raise BackupError(f"{archive} is not a readable Polis backup: {error}") from error


def restore(
    archive: Path, *, force: bool = False, progress: bool = True, log: Callable[[str], None] = print
) -> Restored:
    """Restore `archive` into the configured data directory and database."""
    data_dir = Path(settings.DATA_DIR)
    if not force and (found := _is_fresh(data_dir)):
        raise BackupError(
            "The data directory or database is not empty (" + ", ".join(found[:5]) + "); "
            "restore into a fresh one, or pass --force to replace what is there."
        )
    data_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=data_dir, prefix=".polis-restore-") as work:
        work = Path(work)
        log(f"Reading {archive.name}…")
        manifest = _extract(archive, work)
        if manifest.get("format") != FORMAT:
            raise BackupError(f"backup format {manifest.get('format')!r} is not {FORMAT}")
        if manifest["vendor"] != connection.vendor:
            raise BackupError(
                f"this backup is of a {manifest['vendor']} database; "
                f"the settings name a {connection.vendor} one"
            )
        dump = work / manifest["database"]
        log("Restoring the database…")
        if connection.vendor == "sqlite":
            database.sqlite_restore(dump)
        else:
            database.pg_restore(dump, progress=progress)
        if (work / "secret_key").is_file():
            os.replace(work / "secret_key", data_dir / "secret_key")
            os.chmod(data_dir / "secret_key", 0o600)
        media = Path(settings.MEDIA_ROOT)
        if (work / "media").is_dir() or media.exists():
            shutil.rmtree(media, ignore_errors=True)
            if (work / "media").is_dir():
                media.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(work / "media", media)
    log("Applying migrations…")
    call_command("migrate", interactive=False, verbosity=0)
    with connection.cursor() as cursor:
        counts = _counts(cursor)
    expected = manifest["tables"]
    wrong = {t: (n, counts.get(t)) for t, n in expected.items() if counts.get(t) != n}
    if wrong:
        raise BackupError(f"restored row counts differ from the backup's: {wrong}")
    log(f"Restored {len(expected)} tables, {sum(expected.values())} rows.")
    state = search_snapshot_check(log)
    return Restored(len(expected), sum(expected.values()), state)


def _saved_mark(path: Path) -> int | None:
    try:
        return json.loads((path / "meta.json").read_text())["change_mark"]
    except (OSError, ValueError, KeyError):
        return None


def search_snapshot_check(log: Callable[[str], None] = print) -> str:
    """Verify the search snapshot against the restored change log, or rebuild it.

    A snapshot whose change mark is ahead of the log's last change was taken after the
    backup: it holds changes the restored database does not have, and replaying cannot undo
    them, so it is discarded and built again.
    """
    path = snapshot.snapshot_path()
    with connection.cursor() as cursor:
        log_mark = _change_mark(cursor)
    mark = _saved_mark(path)
    if mark is not None and mark > log_mark:
        log(f"Search snapshot is ahead of the restored log ({mark} > {log_mark}): discarded.")
        shutil.rmtree(path, ignore_errors=True)
        state = "discarded and rebuilt"
    elif mark is not None:
        state = "verified"
    else:
        state = "rebuilt"
    log("Loading the search snapshot…" if state == "verified" else "Building the search snapshot…")
    accelerator = snapshot.load_or_build() if state == "verified" else snapshot.build_and_save()
    if not snapshot.matches_database(accelerator):
        raise BackupError("the search snapshot does not match the restored database")
    if state == "verified" and _saved_mark(path) != mark:
        state = "rebuilt"  # load_or_build found it unusable (counts differ) and built anew
    log(f"Search snapshot {state} (change mark {accelerator.change_mark}, log {log_mark}).")
    return state
