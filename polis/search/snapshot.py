"""The search accelerator's snapshot on disk, so app processes start in a moment.

The first process that builds the arrays from the database saves them under
POLIS_SEARCH_SNAPSHOT_DIR (default POLIS_DATA_DIR/search), one folder per database, one
`.npy` file per array, replaced whole by rename. Later processes load the snapshot, map the
large postings read-only (so their pages are shared), and replay the change log written
since. A snapshot behind a restore or a bulk import (the work count disagrees after the
replay, or its mark is ahead of the log), or with a long log behind it, is rebuilt and saved
again. `polis search snapshot` rebuilds it; `polis search warm` loads or builds it.
"""

import hashlib
import json
import logging
import os
import shutil
import threading
import time
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import connection

from polis.search.accel import Accelerator
from polis.search.accel_columns import COLUMN_TYPES, COLUMNS, SHARED_ARRAYS, RebuildNeeded

# A snapshot whose log has grown past this many changes is rebuilt and saved again.
SNAPSHOT_STALE_CHANGES = 200_000
SNAPSHOT_FORMAT = 2  # 2: revised in microseconds, not seconds

log = logging.getLogger(__name__)


def save(accelerator: Accelerator, path: Path) -> None:
    """Write the arrays as .npy files under `path`, replacing any older snapshot whole.

    Only a fresh build is saved (no overlay), so a snapshot is the database at
    `change_mark`; whoever loads it replays the log written since.
    """
    if accelerator.overlay:
        raise ValueError("Only a freshly built accelerator can be saved.")
    n = accelerator.size
    dense_ids, type_code = accelerator._tag_arrays()
    arrays = {
        "ids": accelerator.ids[:n],
        "alive": accelerator.alive[:n],
        **{f"col_{name}": accelerator.cols[name][:n] for name in COLUMNS},
        **{name: getattr(accelerator, name) for name in SHARED_ARRAYS},
        "dense_ids": dense_ids,
        "type_code": type_code,
    }
    meta = {
        "format": SNAPSHOT_FORMAT,
        "change_mark": accelerator.change_mark,
        "size": n,
        "base_tags": accelerator.base_tags,
        "languages": accelerator.languages,
        "type_codes": accelerator.type_codes,
        "database": _database_fingerprint(),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    suffix = f"{os.getpid()}-{threading.get_ident()}"
    fresh = path.with_name(f"{path.name}.new-{suffix}")
    stale = path.with_name(f"{path.name}.old-{suffix}")
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir()
    for name, array in arrays.items():
        np.save(fresh / f"{name}.npy", np.ascontiguousarray(array))
    (fresh / "meta.json").write_text(json.dumps(meta))
    # Processes that mapped the old files keep reading them until they let go.
    if path.exists():
        os.replace(path, stale)
    os.replace(fresh, path)
    shutil.rmtree(stale, ignore_errors=True)


def load(path: Path) -> Accelerator | None:
    """The snapshot under `path`, or None when there is none or it is of another format."""
    try:
        meta = json.loads((path / "meta.json").read_text())
    except (OSError, ValueError):
        return None
    if meta.get("format") != SNAPSHOT_FORMAT:
        return None
    self = Accelerator()
    self.change_mark = meta["change_mark"]
    self.languages = meta["languages"]
    self.type_codes = meta["type_codes"]
    names = {code: tag_type for tag_type, code in self.type_codes.items()}
    self._dense_ids = np.load(path / "dense_ids.npy").tolist()
    self._type_code = np.load(path / "type_code.npy").tolist()
    self.tag_type = [names[code] for code in self._type_code]
    self.tag_dense = dict(zip(self._dense_ids, range(len(self._dense_ids)), strict=True))
    self._arrays = None
    n = meta["size"]
    capacity = max(1024, int(n * 1.1))
    self.ids = np.zeros(capacity, np.int64)
    self.ids[:n] = np.load(path / "ids.npy")
    self.alive = np.zeros(capacity, bool)
    self.alive[:n] = np.load(path / "alive.npy")
    self.cols = {}
    for name in COLUMNS:
        self.cols[name] = np.zeros(capacity, COLUMN_TYPES[name])
        self.cols[name][:n] = np.load(path / f"col_{name}.npy")
    for name in SHARED_ARRAYS:
        setattr(self, name, np.load(path / f"{name}.npy", mmap_mode="r"))
    self.size = self.base_size = n
    self.base_tags = meta["base_tags"]
    self.overlay, self.overlay_postings = {}, {}
    self.dirty = np.zeros(capacity, bool)
    return self


def matches_database(accelerator: Accelerator) -> bool:
    """After a sync: does this hold what the database holds? A snapshot of this database
    before a restore, or before a bulk import, does not."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM search_workchange")
        if cursor.fetchone()[0] < accelerator.change_mark:
            return False
        cursor.execute("SELECT COUNT(*) FROM search_workdoc")
        count = cursor.fetchone()[0]
    return count == int(accelerator.alive[: accelerator.size].sum())


def snapshot_path() -> Path:
    """Where this database's snapshot lives: one folder per database under the data dir."""
    base = Path(settings.POLIS_SEARCH_SNAPSHOT_DIR)
    key = hashlib.sha256(_database_fingerprint().encode()).hexdigest()[:16]
    return base / f"{connection.vendor}-{key}"


def _database_fingerprint() -> str:
    db = connection.settings_dict
    return f"{connection.vendor}|{db.get('HOST') or ''}|{db.get('PORT') or ''}|{db['NAME']}"


def load_or_build() -> Accelerator:
    """Map the saved snapshot and replay the log since; build (and save) when there is none,
    it belongs to another state of the database, or its log has grown long."""
    start = time.perf_counter()
    accelerator = load(snapshot_path())
    if accelerator is not None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT COALESCE(MAX(id), 0) FROM search_workchange")
                behind = cursor.fetchone()[0] - accelerator.change_mark
            if 0 <= behind <= SNAPSHOT_STALE_CHANGES:
                with accelerator.lock:
                    accelerator.sync()
                if matches_database(accelerator):
                    accelerator.warm()
                    log.info("search snapshot loaded in %.1f s", time.perf_counter() - start)
                    return accelerator
        except RebuildNeeded:
            pass
    return build_and_save()


def build_and_save() -> Accelerator:
    start = time.perf_counter()
    accelerator = Accelerator().build()
    try:
        save(accelerator, snapshot_path())
    except OSError as error:  # a read-only data dir costs start-up time, not correctness
        log.warning("could not save the search snapshot: %s", error)
    accelerator.warm()
    log.info("search arrays built in %.1f s", time.perf_counter() - start)
    return accelerator


def snapshot_refresh() -> Accelerator:
    """Build from the database and save (the `polis search snapshot` command)."""
    return build_and_save()
