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
import datetime
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db import connection
from scipy import sparse

from polis.search.query import Sort, WorkFilter

COLUMNS = [
    "restricted",
    "complete",
    "crossover",
    "revised",
    "published",
    "words",
    "chapters",
    "hits",
    "kudos",
    "comments",
    "bookmarks",
    "language",
]
# Each column in the narrowest type its values fit (the database's integer columns are 32-bit;
# revised_at is in microseconds since 1970, as exact as the database keeps it): 43 bytes a
# work instead of 96, which is what lets AO3's 17M works fit a process (docs/benchmarks.md,
# "bench scale"). Comparisons with any Python int stay exact in numpy 2.
COLUMN_TYPES = {
    "restricted": np.int8,
    "complete": np.int8,
    "crossover": np.int8,
    "revised": np.int64,
    "published": np.int32,
    "words": np.int32,
    "chapters": np.int32,
    "hits": np.int32,
    "kudos": np.int32,
    "comments": np.int32,
    "bookmarks": np.int32,
    "language": np.int16,
}
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


# Changes can commit out of id order on PostgreSQL; re-read this many ids behind the mark.
REREAD_WINDOW = 5000
_CHUNK = 200_000
# Never written after the build: a snapshot's processes map these read-only and share them.
SHARED_ARRAYS = ("work_ptr", "work_tags", "tag_works", "tag_ptr")


def epoch_micros(moment: datetime.datetime) -> int:
    """Microseconds since 1970 of an aware datetime, exactly (no float on the way)."""
    delta = moment - datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _doc_sql(where: str = "") -> str:
    epoch_days = (
        "CAST(julianday(published_at) - 2440587.5 AS INTEGER)"
        if connection.vendor == "sqlite"
        else "(published_at - DATE '1970-01-01')"
    )
    epoch = (
        # Django keeps an SQLite datetime as text, 'YYYY-MM-DD HH:MM:SS[.ffffff]' in UTC.
        "(CAST(strftime('%%s', revised_at) AS INTEGER) * 1000000"
        " + CAST(substr(revised_at, 21, 6) AS INTEGER))"
        if connection.vendor == "sqlite"
        else "CAST(EXTRACT(EPOCH FROM revised_at) * 1000000 AS BIGINT)"
    )
    return (
        f"SELECT work_id, restricted, complete, crossover, {epoch}, {epoch_days}, word_count,"
        " chapter_count, hit_count, kudos_count, comment_count, bookmark_count, language"
        f" FROM search_workdoc {where} ORDER BY work_id"
    )


class Accelerator:
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
            cursor.execute(_doc_sql(), [])
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

    # --- keeping current -----------------------------------------------------------------
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
            cursor.execute(_doc_sql(f"WHERE work_id IN ({placeholders})"), ids)
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

    def facets(self, found: np.ndarray, per_type: int) -> list[tuple[int, str, int]]:
        """Top tags per type among these works, with every tag tied with the last one shown."""
        return self.facets_from_counts(self._tag_counts(found), per_type)

    def facets_from_counts(self, counts: np.ndarray, per_type: int) -> list[tuple[int, str, int]]:
        """The same from each (dense) tag's count (polis.search.accel_broad counts its own)."""
        dense_ids, _type_code = self._tag_arrays()
        result = []
        for tag_type, members in self._type_members().items():
            candidates = members[counts[members] > 0]
            if not len(candidates):
                continue
            values = counts[candidates]
            if len(values) > per_type:
                floor = np.partition(values, len(values) - per_type)[len(values) - per_type]
                keep = candidates[values >= floor]
            else:
                keep = candidates
            result += [(int(dense_ids[d]), tag_type, int(counts[d])) for d in keep.tolist()]
        return result

    def _type_members(self) -> dict[str, np.ndarray]:
        """Tag type → the dense indexes of its tags (remade only when tags were added)."""
        cached = getattr(self, "_members", None)
        if cached is None or cached[0] != len(self._dense_ids):
            _dense_ids, type_code = self._tag_arrays()
            members = {
                tag_type: np.flatnonzero(type_code == code)
                for tag_type, code in self.type_codes.items()
            }
            cached = self._members = (len(self._dense_ids), members)
        return cached[1]

    def _tag_counts(self, found: np.ndarray) -> np.ndarray:
        """How many of these works carry each (dense) tag: one bincount, no GROUP BY."""
        clean = found[~self.dirty[found]] if self.overlay else found
        clean = clean[clean < self.base_size]
        size = len(self.tag_type)
        if len(clean) * _MATVEC_SHARE > self.base_size and self._uses_matrix():
            # Many works: one sparse product over every tagging (13 ms at a million works,
            # whatever their number) beats gathering theirs (30 ms for 190,000 works).
            chosen = np.zeros(self.base_size, np.int32)
            chosen[clean] = 1
            base = self._matrix().T @ chosen
            counts = np.zeros(size, np.int64)
            counts[: len(base)] = base
        elif len(clean) > _SPLIT_COUNTS_AT:
            # numpy lets go of the GIL: the halves are counted on two cores at once.
            halves = np.array_split(clean, 2)
            counts = sum(_counting_pool().map(self._gathered_counts, halves, [size, size]))
        else:
            counts = self._gathered_counts(clean, size)
        if self.overlay:
            dirty = [self.overlay[p] for p in found[self.dirty[found]].tolist()]
            if dirty:
                counts = counts + np.bincount(np.concatenate(dirty), minlength=size)[:size]
        return counts

    def warm(self) -> None:
        """Make what queries would otherwise make on first use (before serving them)."""
        if self._uses_matrix():
            self._matrix()
        self._type_members()

    def _uses_matrix(self) -> bool:
        # Its ones are 4 bytes a tagging of each process's own memory (not shared like the
        # postings): 1 GB at AO3's 17M works, where its product scans 255M taggings anyway.
        return int(self.work_ptr[-1]) <= _MATVEC_MAX_TAGGINGS

    def _matrix(self) -> sparse.csr_matrix:
        """Works × tags of the snapshot, sharing its arrays (only the ones are new)."""
        matrix = getattr(self, "_works_by_tags", None)
        if matrix is None:
            ones = np.ones(len(self.work_tags), np.int32)
            ptr = np.asarray(self.work_ptr, dtype=np.int32 if len(ones) < 2**31 else np.int64)
            matrix = self._works_by_tags = sparse.csr_matrix(
                (ones, np.asarray(self.work_tags), ptr), shape=(self.base_size, self.base_tags)
            )
        return matrix

    def _gathered_counts(self, clean: np.ndarray, size: int) -> np.ndarray:
        # The index of every tagging of these works, in int32 while the taggings fit (half
        # the memory traffic of int64: 24 ms instead of 55 ms for 190,000 works at 1M).
        itype = np.int32 if int(self.work_ptr[-1]) < 2**31 else np.int64
        starts = self.work_ptr[clean].astype(itype)
        lengths = (self.work_ptr[clean + 1] - self.work_ptr[clean]).astype(itype)
        ends = np.cumsum(lengths, dtype=itype)
        index = np.arange(int(ends[-1]) if len(ends) else 0, dtype=itype) + np.repeat(
            starts - (ends - lengths), lengths
        )
        return np.bincount(self.work_tags[index], minlength=size)


# Facet counts over more than 1/_MATVEC_SHARE of the works use the sparse product; over
# more works than _SPLIT_COUNTS_AT (and fewer than that) they are gathered on two threads.
_MATVEC_SHARE = 12
# ... while the archive has at most this many taggings (about 3.5M works); beyond, gathered.
_MATVEC_MAX_TAGGINGS = 50_000_000
_SPLIT_COUNTS_AT = 50_000
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _counting_pool() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(2, thread_name_prefix="facet-counts")
        return _pool


class RebuildNeeded(Exception):
    """The log cannot be applied to this snapshot (e.g. the database was restored)."""


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
