"""Keeping the accelerator current: the `search_workchange` log applied to its arrays.

Each query first reads the log written since the last look (one indexed query when idle) and
reloads the changed works into an overlay over the snapshot's postings. `ChangeLogSync` is a
part of `polis.search.accel.Accelerator` (its arrays are the accelerator's).
"""

import numpy as np
from django.db import connection

from polis.search.accel_columns import (
    COLUMN_TYPES,
    COLUMNS,
    REREAD_WINDOW,
    RebuildNeeded,
    doc_sql,
)


class ChangeLogSync:
    """The change-log half of the Accelerator (mixed into it; uses its arrays)."""

    def sync(self) -> None:
        """Apply the change log written since the last look (one indexed query when idle)."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM search_workchange")
            newest = cursor.fetchone()[0]
            if newest <= self.change_mark and not self._window_open():
                return
            low = max(0, self.change_mark - REREAD_WINDOW)
            cursor.execute(
                "SELECT id, work_id FROM search_workchange WHERE id > %s ORDER BY id", [low]
            )
            changes = [(cid, wid) for cid, wid in cursor.fetchall() if cid not in self.applied]
        # A negative work id marks a trim (polis.search.changelog): rows below -work_id are
        # gone. A process that had not read up to there cannot replay what it missed.
        trimmed_below = max((-wid for _, wid in changes if wid < 0), default=0)
        if trimmed_below > self.change_mark + 1:
            raise RebuildNeeded()
        changes = [(cid, wid) for cid, wid in changes if wid >= 0]
        if not changes:
            self.change_mark = max(self.change_mark, newest)
            return
        self._reload({work_id for _, work_id in changes})
        self.applied.update(cid for cid, _ in changes)
        self.change_mark = max(self.change_mark, newest)
        floor = self.change_mark - REREAD_WINDOW
        self.applied = {cid for cid in self.applied if cid > floor}

    def _window_open(self) -> bool:
        # On PostgreSQL an earlier id may commit late; SQLite commits strictly in id order.
        return connection.vendor == "postgresql" and self.change_mark > 0

    def _reload(self, work_ids: set[int]) -> None:
        ids = sorted(work_ids)
        placeholders = ", ".join(["%s"] * len(ids))
        with connection.cursor() as cursor:
            cursor.execute(doc_sql(f"WHERE work_id IN ({placeholders})"), ids)
            docs = {row[0]: row for row in cursor.fetchall()}
            cursor.execute(
                "SELECT f.work_id, f.tag_id, t.type FROM tags_filtertagging f"
                f" JOIN tags_tag t ON t.id = f.tag_id WHERE f.work_id IN ({placeholders})",
                ids,
            )
            tags: dict[int, list[int]] = {}
            for work_id, tag_id, tag_type in cursor.fetchall():
                tags.setdefault(work_id, []).append(self._dense(tag_id, tag_type))
        for work_id in ids:
            position = self._position(work_id)
            row = docs.get(work_id)
            if row is None:
                if position is not None:
                    self.alive[position] = False
                    self._set_overlay(position, np.zeros(0, np.int32))
                continue
            if position is None:
                position = self._append(work_id)
            values = (*row[1:12], self._language(row[12]))
            for name, value in zip(COLUMNS, values, strict=True):
                self.cols[name][position] = int(value)
            self.alive[position] = True
            self._set_overlay(position, np.array(sorted(tags.get(work_id, [])), np.int32))

    def _position(self, work_id: int) -> int | None:
        position = int(np.searchsorted(self.ids[: self.size], work_id))
        if position < self.size and self.ids[position] == work_id:
            return position
        return None

    def _append(self, work_id: int) -> int:
        if work_id < (self.ids[self.size - 1] if self.size else 0):
            # Ids only grow, so this happens only after a restore: start afresh.
            raise RebuildNeeded()
        if self.size == len(self.ids):
            grow = max(1024, self.size // 2)
            self.ids = np.concatenate([self.ids, np.zeros(grow, np.int64)])
            self.alive = np.concatenate([self.alive, np.zeros(grow, bool)])
            self.dirty = np.concatenate([self.dirty, np.zeros(grow, bool)])
            for name in COLUMNS:
                grown = np.zeros(grow, COLUMN_TYPES[name])
                self.cols[name] = np.concatenate([self.cols[name], grown])
        self.ids[self.size] = work_id
        self.size += 1
        return self.size - 1

    def _set_overlay(self, position: int, dense: np.ndarray) -> None:
        previous = self.overlay.get(position)
        if previous is not None:
            for tag in previous.tolist():
                self.overlay_postings.get(tag, set()).discard(position)
        self.overlay[position] = dense
        self.dirty[position] = True
        for tag in dense.tolist():
            self.overlay_postings.setdefault(tag, set()).add(position)
