"""Listings over (nearly) every work, the home page and the works index, at AO3's size.

`Accelerator.candidates` lists the positions of the matching works, then sorts and counts
them: for a filter that keeps nearly every work that is tens of millions of gathers at AO3's
17M works (the home page took 41 ms at 2M works, the works index with its facets 136 ms). A
filter that sets nothing but the sort, the restricted switch and excluded tags (a blocklist)
is answered here from a mask over all positions instead:

- the page: the sort column of the works is compared with a threshold taken from a sample of
  them (the `want`-th best key of the sample), so only the works at or past it (a few
  thousand) are sorted. Every work that could be on the page passes (ties included), so the
  page is exactly `Accelerator.page`'s;
- the facet counts: the snapshot's count of each tag, less the tags of the works left out
  (restricted, excluded, deleted or changed since), plus the changed works' current tags.

`answer` is what `polis.search.service` calls for every accelerated listing: it sends the
rest to `candidates`, `page` and `facets` as before (counting the works left out, too, when
they are fewer than those found).
"""

import numpy as np

from polis.search import accel_facets
from polis.search.accel import SORT_KEYS, Accelerator
from polis.search.query import WorkFilter

# The sample holds about this many keys per wanted work (more: a tighter threshold).
SAMPLE_PER_WANTED = 1024


def applies(f: WorkFilter) -> bool:
    """Only the sort, the restricted switch and excluded tags are set (an exact comparison
    with the default filter, so a field added later is never answered here)."""
    plain = WorkFilter(
        exclude_tags=f.exclude_tags,
        sort=f.sort,
        descending=f.descending,
        include_restricted=f.include_restricted,
    )
    return f == plain and f.sort in SORT_KEYS


def answer(
    acc: Accelerator,
    f: WorkFilter,
    text_ids: np.ndarray | None,
    offset: int,
    limit: int,
    rank: dict[int, float] | None,
    per_type: int,
    facets: bool = True,
) -> tuple[list[int], int, list[tuple[int, str, int]]]:
    """(the page's work ids, the total, the facet rows) of an accelerated listing."""
    if text_ids is None and rank is None and applies(f):
        return broad(acc, f, offset, limit, per_type, facets)
    return answer_found(acc, f, acc.candidates(f, text_ids), offset, limit, rank, per_type, facets)


def answer_found(
    acc: Accelerator,
    f: WorkFilter,
    found: np.ndarray,
    offset: int,
    limit: int,
    rank: dict[int, float] | None,
    per_type: int,
    facets: bool = True,
) -> tuple[list[int], int, list[tuple[int, str, int]]]:
    """The same, for the positions already found (a query answered by polis.search.accel_query)."""
    page_ids = acc.page(f, found, offset, limit, rank)
    if not facets or not len(found):
        rows = []
    elif 2 * len(found) > acc.size:  # more than half the works: count those left out
        mask = np.zeros(acc.size, bool)
        mask[found] = True
        rows = acc.facets_from_counts(counts(acc, mask), per_type)
    else:
        rows = acc.facets(found, per_type)
    return page_ids, len(found), rows


def matching(acc: Accelerator, f: WorkFilter) -> np.ndarray:
    """Which positions the listing shows, as a mask over every position."""
    n = acc.size
    mask = acc.alive[:n].copy()
    if not f.include_restricted:
        mask &= acc.cols["restricted"][:n] == 0
    for tag_id in f.exclude_tags:
        mask[acc.postings(tag_id)] = False
    return mask


def broad(acc: Accelerator, f: WorkFilter, offset: int, limit: int, per_type: int, facets: bool):
    mask = matching(acc, f)
    total = int(np.count_nonzero(mask))
    page_ids = acc.page(f, _contenders(acc, f, mask, offset + limit, total), offset, limit, None)
    rows = acc.facets_from_counts(counts(acc, mask), per_type) if facets and total else []
    return page_ids, total, rows


def _contenders(acc: Accelerator, f: WorkFilter, mask: np.ndarray, want: int, total: int):
    """Positions (ascending) of the shown works whose key is at or past the sample's
    `want`-th best: at least `want` of them, and every work the page could hold."""
    n = len(mask)
    stride = n // (want * SAMPLE_PER_WANTED)
    if want >= total or stride < 2:
        return np.flatnonzero(mask)
    key = acc.cols[SORT_KEYS[f.sort]][:n]
    sample = key[::stride][mask[::stride]]
    if len(sample) < want:
        return np.flatnonzero(mask)
    if f.descending:
        threshold = np.partition(sample, len(sample) - want)[len(sample) - want]
        return np.flatnonzero(mask & (key >= threshold))
    threshold = np.partition(sample, want - 1)[want - 1]
    return np.flatnonzero(mask & (key <= threshold))


def counts(acc: Accelerator, mask: np.ndarray) -> np.ndarray:
    """How many of the masked works carry each (dense) tag, counting the works left out
    when they are few."""
    base = acc.base_size
    size = len(acc.tag_type)
    left_out = ~mask[:base]
    if acc.overlay:
        left_out |= acc.dirty[:base]
    out = np.flatnonzero(left_out)
    # Against the sparse product (when the archive has one) the same rule as the
    # accelerator's: gather only what is under 1/_MATVEC_SHARE of the works.
    share = accel_facets._MATVEC_SHARE if acc._uses_matrix() else 2
    if len(out) * share > base:
        return acc._tag_counts(np.flatnonzero(mask))
    result = np.zeros(size, np.int64)
    result[: acc.base_tags] = _snapshot_totals(acc)
    if len(out):
        result -= _gathered(acc, out, size)
    if acc.overlay:
        changed = np.flatnonzero(mask & acc.dirty[: len(mask)])
        if len(changed):
            tags = np.concatenate([acc.overlay[p] for p in changed.tolist()])
            result += np.bincount(tags, minlength=size)[:size]
    return result


def _snapshot_totals(acc: Accelerator) -> np.ndarray:
    totals = getattr(acc, "_snapshot_totals", None)
    if totals is None:
        totals = acc._snapshot_totals = np.diff(acc.tag_ptr)
    return totals


def _gathered(acc: Accelerator, positions: np.ndarray, size: int) -> np.ndarray:
    if len(positions) > accel_facets._SPLIT_COUNTS_AT:
        halves = np.array_split(positions, 2)
        return sum(accel_facets._counting_pool().map(acc._gathered_counts, halves, [size, size]))
    return acc._gathered_counts(positions, size)
