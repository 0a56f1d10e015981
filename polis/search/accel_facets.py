"""Facet counts of the accelerator: how many of the found works carry each tag.

One `bincount` over the found works' taggings (gathered, on two threads for many works) or
one sparse product over every tagging when the found works are a large share of the archive.
`FacetCounting` is a part of `polis.search.accel.Accelerator` (its arrays are the
accelerator's); `polis.search.accel_broad` reuses the same counting for its masks.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from scipy import sparse

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


class FacetCounting:
    """The facet-counting half of the Accelerator (mixed into it; uses its arrays)."""

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
