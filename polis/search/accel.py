"""An in-process accelerator for listings: the search index as numpy arrays, kept exact.

The database stays the source of truth. The arrays (columns of `search_workdoc` plus the
tag → works and work → tags postings of `tags_filtertagging`) are built from it and saved as
a snapshot that every app process loads (`polis.search.snapshot`); each query first
applies the `search_workchange` log written since, so a change is visible to the next query
after its commit. Filtering, sorting and facet counts then run over arrays in milliseconds: a facet
count is one `bincount` over the matching works' tags instead of a GROUP BY.

Queries it does not cover (title/creator sorts, and every WorkFilter field outside
ACCELERATED_FIELDS: creator scopes, muting, unwrangled tags, title searches) go to the SQL
backends, which answer everything and are the reference in the tests.
"""

import dataclasses
import threading
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db import connection

from polis.search.accel_columns import (
    _CHUNK,
    COLUMN_TYPES,
    COLUMNS,
    RebuildNeeded,
    doc_sql,
    epoch_micros,
)
from polis.search.accel_facets import FacetCounting
from polis.search.accel_sync import ChangeLogSync
from polis.search.query import Sort, WorkFilter

SORT_KEYS = {
    Sort.REVISED: "revised",
    Sort.POSTED: "published",
    Sort.WORDS: "words",
    Sort.HITS: "hits",
    Sort.KUDOS: "kudos",
    Sort.COMMENTS: "comments",
    Sort.BOOKMARKS: "bookmarks",
}
# The WorkFilter fields `candidates` and `page` apply. Every other field is SQL-only: a filter
# setting one goes to the SQL backends (tests/search_accel/test_supports.py keeps the two
# lists covering every field).
ACCELERATED_FIELDS = frozenset(
    {
        "include_tags",
        "exclude_tags",
        "work_ids",
        "crossover",
        "complete",
        "single_chapter",
        "language",
        "words",
        "hits",
        "kudos",
        "comments",
        "bookmarks",
        "revised_from",
        "revised_to",
        "query",
        "expression",  # the parsed query: `matching` answers it, asking SQL for text parts
        "sort",
        "descending",
        "include_restricted",
    }
)
# Declared so that a new field must be placed on one side or the other.
SQL_ONLY_FIELDS = frozenset(
    {
        "direct_tags",  # unwrangled tags as written: the arrays hold filter sets only
        "exclude_direct_tags",
        "creator_user_id",  # creator scopes and names need creatorships and anonymity
        "creator_pseud_id",
        "creators",
        "hidden_creator_ids",  # muting: creatorships again
        "title",  # a title-only text match has nothing to start from but the FTS index
    }
)


def _default(item: dataclasses.Field) -> object:
    if item.default_factory is not dataclasses.MISSING:
        return item.default_factory()
    return item.default


def _sorted_ids(work_ids: list[int]) -> np.ndarray:
    return np.unique(np.fromiter(work_ids, np.int64, len(work_ids)))


class Accelerator(ChangeLogSync, FacetCounting):
    """One process's arrays. Thread-safe: queries hold the lock only while syncing."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.languages: dict[str, int] = {}
        self.tag_dense: dict[int, int] = {}
        self.tag_type: list[str] = []
        self.type_codes: dict[str, int] = {}
        self._type_code: list[int] = []
        self._dense_ids: list[int] = []
        self.size = 0
        self.change_mark = 0
        self.applied: set[int] = set()

    # --- building ------------------------------------------------------------------------
    def build(self) -> "Accelerator":
        """Read everything from the database (seconds per million works)."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM search_workchange")
            self.change_mark = cursor.fetchone()[0]
            cursor.execute("SELECT id, type FROM tags_tag ORDER BY id")
            for tag_id, tag_type in cursor.fetchall():
                self._dense(tag_id, tag_type)
            rows = []
            cursor.execute(doc_sql(), [])
            while batch := cursor.fetchmany(_CHUNK):
                rows.extend(batch)
            self._set_columns(rows)
            pairs_work, pairs_tag = [], []
            cursor.execute(
                "SELECT work_id, tag_id FROM tags_filtertagging ORDER BY work_id, tag_id"
            )
            while batch := cursor.fetchmany(_CHUNK):
                array = np.array(batch, dtype=np.int64)
                pairs_work.append(array[:, 0])
                pairs_tag.append(array[:, 1])
        works = np.concatenate(pairs_work) if pairs_work else np.zeros(0, np.int64)
        tags = np.concatenate(pairs_tag) if pairs_tag else np.zeros(0, np.int64)
        self._set_postings(works, tags)
        return self

    def _dense(self, tag_id: int, tag_type: str) -> int:
        index = self.tag_dense.get(tag_id)
        if index is None:
            index = self.tag_dense[tag_id] = len(self.tag_type)
            self.tag_type.append(tag_type)
            self._type_code.append(self.type_codes.setdefault(tag_type, len(self.type_codes)))
            self._dense_ids.append(tag_id)
            self._arrays = None
        return index

    def _tag_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Dense index → tag id, and → type code (rebuilt only when tags were added)."""
        if getattr(self, "_arrays", None) is None:
            self._arrays = (
                np.array(self._dense_ids, np.int64),
                np.array(self._type_code, np.int16),
            )
        return self._arrays

    def _set_columns(self, rows: list[tuple]) -> None:
        n = len(rows)
        capacity = max(1024, int(n * 1.1))
        self.ids = np.zeros(capacity, np.int64)
        self.alive = np.zeros(capacity, bool)
        self.cols = {name: np.zeros(capacity, COLUMN_TYPES[name]) for name in COLUMNS}
        if n:
            array = np.array([(*row[:12], self._language(row[12])) for row in rows], dtype=np.int64)
            self.ids[:n] = array[:, 0]
            for index, name in enumerate(COLUMNS, start=1):
                self.cols[name][:n] = array[:, index]
            self.alive[:n] = True
        self.size = n
        self.overlay: dict[int, np.ndarray] = {}  # position → dense tags, for changed works
        self.dirty = np.zeros(capacity, bool)

    def _language(self, code: str) -> int:
        return self.languages.setdefault(code, len(self.languages))

    def _set_postings(self, work_ids: np.ndarray, tag_ids: np.ndarray) -> None:
        lookup = np.full(max(self.tag_dense, default=0) + 1, -1, np.int64)
        lookup[list(self.tag_dense)] = list(self.tag_dense.values())
        positions = np.searchsorted(self.ids[: self.size], work_ids)
        valid = (
            (positions < self.size) & (self.ids[np.minimum(positions, self.size - 1)] == work_ids)
            if self.size
            else np.zeros(len(work_ids), bool)
        )
        positions, dense = positions[valid], lookup[tag_ids[valid]]
        tags_count = len(self.tag_type)
        # work → tags (positions are sorted because rows came ordered by work id)
        self.work_ptr = np.zeros(self.size + 1, np.int64)
        np.add.at(self.work_ptr, positions + 1, 1)
        np.cumsum(self.work_ptr, out=self.work_ptr)
        self.work_tags = dense.astype(np.int32)
        # tag → works
        order = np.argsort(dense, kind="stable")
        self.tag_works = positions[order].astype(np.int32)
        self.tag_ptr = np.zeros(tags_count + 1, np.int64)
        np.add.at(self.tag_ptr, dense + 1, 1)
        np.cumsum(self.tag_ptr, out=self.tag_ptr)
        self.base_size = self.size
        self.base_tags = tags_count
        self.overlay_postings: dict[int, set[int]] = {}

    # --- querying ------------------------------------------------------------------------
    @staticmethod
    def supports(f: WorkFilter) -> bool:
        """Whether the arrays can answer this filter exactly: every field set away from its
        default is one `candidates` applies (an allow-list, so a new field goes to SQL until
        the accelerator learns it), and the sort is one the arrays hold."""
        for item in dataclasses.fields(f):
            if item.name not in ACCELERATED_FIELDS and getattr(f, item.name) != _default(item):
                return False
        return f.sort in SORT_KEYS or (f.sort == Sort.BEST and bool(f.query.strip()))

    def rarest(self, tag_ids: list[int]) -> int | None:
        """The tag with the fewest works (by its snapshot postings)."""
        known = [t for t in tag_ids if self.tag_dense.get(t, self.base_tags) < self.base_tags]
        if not known:
            return None

        def size(tag_id: int) -> int:
            dense = self.tag_dense[tag_id]
            return int(self.tag_ptr[dense + 1] - self.tag_ptr[dense])

        return min(known, key=size)

    def postings(self, tag_id: int) -> np.ndarray:
        dense = self.tag_dense.get(tag_id)
        if dense is None:
            return np.zeros(0, np.int64)
        base = np.zeros(0, np.int64)
        if dense < self.base_tags:
            base = self.tag_works[self.tag_ptr[dense] : self.tag_ptr[dense + 1]].astype(np.int64)
            if self.overlay:
                base = base[~self.dirty[base]]
        extra = self.overlay_postings.get(dense)
        if extra:
            base = np.union1d(base, np.fromiter(extra, np.int64, len(extra)))
        return base

    def candidates(self, f: WorkFilter, text_ids: np.ndarray | None) -> np.ndarray:
        """Positions of the matching works, ascending. `text_ids`: sorted ids matching the text."""
        if f.include_tags:
            lists = sorted((self.postings(t) for t in f.include_tags), key=len)
            found = lists[0]
            for other in lists[1:]:
                found = np.intersect1d(found, other, assume_unique=True)
            if text_ids is not None:
                found = found[self._has_id(found, text_ids)]
        elif text_ids is not None:
            found = self._positions_of(text_ids)
        elif f.work_ids is not None:
            found = self._positions_of(_sorted_ids(f.work_ids))
        else:
            found = np.arange(self.size, dtype=np.int64)
        if f.work_ids is not None and (f.include_tags or text_ids is not None):
            found = found[self._has_id(found, _sorted_ids(f.work_ids))]
        found = found[self.alive[found]]
        cols = self.cols
        if not f.include_restricted:
            found = found[cols["restricted"][found] == 0]
        for tag_id in f.exclude_tags:
            if len(found):
                found = found[~np.isin(found, self.postings(tag_id), assume_unique=True)]
        checks = [
            ("complete", None if f.complete is None else int(f.complete)),
            ("crossover", None if f.crossover is None else int(f.crossover)),
        ]
        for name, wanted in checks:
            if wanted is not None:
                found = found[cols[name][found] == wanted]
        if f.single_chapter:
            found = found[cols["chapters"][found] == 1]
        if f.language:
            code = self.languages.get(f.language)
            found = found[cols["language"][found] == code] if code is not None else found[:0]
        for name, value in (
            ("words", f.words),
            ("hits", f.hits),
            ("kudos", f.kudos),
            ("comments", f.comments),
            ("bookmarks", f.bookmarks),
        ):
            if value.low is not None:
                found = found[cols[name][found] >= value.low]
            if value.high is not None:
                found = found[cols[name][found] <= value.high]
        if f.revised_from:
            found = found[cols["revised"][found] >= epoch_micros(f.revised_from)]
        if f.revised_to:
            found = found[cols["revised"][found] < epoch_micros(f.revised_to)]
        return found

    def _has_id(self, positions: np.ndarray, sorted_ids: np.ndarray) -> np.ndarray:
        """Which of these positions hold a work whose id is in `sorted_ids` (binary search of
        the smaller side: no sort of the text matches, however many there are)."""
        if not len(sorted_ids) or not len(positions):
            return np.zeros(len(positions), bool)
        ids = self.ids[positions]
        index = np.minimum(np.searchsorted(sorted_ids, ids), len(sorted_ids) - 1)
        return sorted_ids[index] == ids

    def _positions_of(self, work_ids: np.ndarray) -> np.ndarray:
        """Positions of these (sorted, unique) ids that the arrays hold, ascending."""
        ids = self.ids[: self.size]
        positions = np.searchsorted(ids, work_ids)
        inside = positions < self.size
        positions, work_ids = positions[inside], work_ids[inside]
        return positions[ids[positions] == work_ids]

    def page(
        self,
        f: WorkFilter,
        found: np.ndarray,
        offset: int,
        limit: int,
        rank: dict[int, float] | None,
    ) -> list[int]:
        if offset >= len(found):
            return []
        ids = self.ids[found]
        if rank is not None:
            scores = np.array([rank.get(int(i), 0.0) for i in ids])
            revised = self.cols["revised"][found]
            # As the SQL backends: best first, then newest; ascending reverses all three.
            if f.descending:
                keys = np.lexsort((-ids, -revised, scores))
            else:
                keys = np.lexsort((ids, revised, -scores))
            return ids[keys][offset : offset + limit].tolist()
        key = self.cols[SORT_KEYS[f.sort]][found].astype(np.int64)
        want = offset + limit
        if f.sort == Sort.REVISED:
            return self._by_wide_key(key, ids, f.descending, want)[offset:]
        # One int64 orders by (key, id): these keys and ids both stay below 2**31.
        composite = (key << 32) | ids
        if f.descending:
            composite = -composite
        if want < len(composite):
            part = np.argpartition(composite, want - 1)[:want]
            part = part[np.argsort(composite[part], kind="stable")]
        else:
            part = np.argsort(composite, kind="stable")
        return ids[part[offset:want]].tolist()

    @staticmethod
    def _by_wide_key(key: np.ndarray, ids: np.ndarray, descending: bool, want: int) -> list[int]:
        """The first `want` ids by (key, id) for a key too wide to share an int64 with ids
        (revised_at in microseconds): everything up to the want-th key, ties and all, is
        sorted; revision times rarely tie, so that is about `want` works."""
        if descending:
            key, tie = -key, -ids
        else:
            tie = ids
        if want < len(key):
            kth = np.partition(key, want - 1)[want - 1]
            candidates = np.flatnonzero(key <= kth)
        else:
            candidates = np.arange(len(key))
        order = candidates[np.lexsort((tie[candidates], key[candidates]))]
        return ids[order[:want]].tolist()


@dataclass
class _Holder:
    accelerator: Accelerator | None = None


_holder = _Holder()
_build_lock = threading.Lock()


def enabled() -> bool:
    return settings.POLIS_SEARCH_ACCEL


def get() -> Accelerator | None:
    """This process's accelerator, synced to the latest committed change; None when off."""
    from polis.search import snapshot  # it builds Accelerators: imported when first needed

    if not enabled():
        return None
    with _build_lock:
        accelerator = _holder.accelerator
        if accelerator is None:
            accelerator = _holder.accelerator = snapshot.load_or_build()
        try:
            with accelerator.lock:
                accelerator.sync()
        except RebuildNeeded:
            accelerator = _holder.accelerator = snapshot.build_and_save()
        return accelerator


def reset() -> None:
    """Forget this process's arrays (tests, or after a restore)."""
    _holder.accelerator = None
