"""The query half of `polis bench scale`: run in a fresh process that loads the snapshot.

As an app process serves: the snapshot loaded (postings memory-mapped), warmed, its objects
frozen out of the cyclic GC; then each query type of `polis bench filter` (plus the home page)
runs through `polis.search.accel_broad.answer`, as `polis.search.service._accelerated` calls
it. Not timed here, because there is no database: loading the 20 works of the page for their
blurbs, and the full-text search itself (the free-text query is given its matches, 1–10 % of
the works, as the sorted id array the backends hand over).
"""

import gc
import json
import os
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from bench.scale import make_shape
from polis.search import accel_broad, snapshot
from polis.search.accel import Accelerator
from polis.search.query import Range, Sort, WorkFilter

PER_PAGE = 20
FACETS_PER_TYPE = 10  # polis.search.backends.sql.FACETS_PER_TYPE (a test keeps them equal)


def memory(snapshot_dir: Path) -> dict[str, int]:
    """This process's resident bytes, and how much of it is the snapshot's mapped files."""
    rollup = {}
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines()[1:]:
        key, value = line.split(":", 1)
        rollup[key] = int(value.split()[0]) * 1024
    mapped, inside = 0, False
    prefix = str(snapshot_dir.resolve())
    for line in Path("/proc/self/smaps").read_text().splitlines():
        head = line.split()
        if head and "-" in head[0] and not head[0].endswith(":"):
            inside = len(head) >= 6 and head[5].startswith(prefix)
        elif inside and head and head[0] == "Rss:":
            mapped += int(head[1]) * 1024
    return {
        "rss": rollup["Rss"],
        "anonymous": rollup["Anonymous"],
        "snapshot_mapped": mapped,
        "own": rollup["Rss"] - mapped,
    }


def query_mix(acc: Accelerator) -> dict[str, Callable[[random.Random], tuple]]:
    """Name → make(rng) → (filter, page number, text ids or None, with facets)."""
    shape = make_shape(acc.size)
    sizes = np.diff(acc.tag_ptr)

    def popular(tag_type: str, limit: int) -> list[int]:
        start = shape.starts[tag_type]
        ends = sorted(shape.starts.values()) + [shape.total]
        end = ends[ends.index(start) + 1]
        top = np.argsort(-sizes[start:end], kind="stable")[:limit] + start
        return [int(d) + 1 for d in top]  # tag id = dense + 1

    fandoms = popular("fandom", 200)
    freeforms = popular("freeform", 200)
    ratings = [int(d) + 1 for d in range(shape.starts["rating"], shape.starts["warning"])]
    largest = fandoms[0]

    def characters(fandom_id: int) -> list[int]:
        index = fandom_id - 1 - shape.starts["fandom"]
        start, count = int(shape.char_start[index]), int(shape.char_count[index])
        by_size = np.argsort(-sizes[start : start + count], kind="stable")[:5] + start
        return [int(d) + 1 for d in by_size]

    def text_ids(rng) -> np.ndarray:
        share = rng.uniform(0.01, 0.10)
        picks = np.random.default_rng(rng.randrange(2**32)).random(acc.size) < share
        return acc.ids[: acc.size][picks]

    return {
        "home page (newest 20, no facets)": lambda rng: (WorkFilter(), 1, None, False),
        "all works (with facets)": lambda rng: (WorkFilter(), 1, None, True),
        "one tag (a top-50 fandom)": lambda rng: (
            WorkFilter(include_tags=[rng.choice(fandoms[:50])]),
            1,
            None,
            True,
        ),
        "largest fandom (with facets)": lambda rng: (
            WorkFilter(include_tags=[largest]),
            1,
            None,
            True,
        ),
        "2 include + 2 exclude": lambda rng: _two_in_two_out(rng, fandoms, freeforms, characters),
        "rating + words + kudos sort": lambda rng: (
            _rating_words(rng, ratings),
            1,
            None,
            True,
        ),
        "free text + tag": lambda rng: (
            WorkFilter(include_tags=[rng.choice(fandoms[:50])], query="w1"),
            1,
            text_ids(rng),
            True,
        ),
        "deep page 50": lambda rng: (
            WorkFilter(include_tags=[rng.choice(fandoms[:5])]),
            50,
            None,
            True,
        ),
    }


def _two_in_two_out(rng, fandoms, freeforms, characters):
    fandom = rng.choice(fandoms[:30])
    f = WorkFilter(
        include_tags=[fandom, rng.choice(characters(fandom))],
        exclude_tags=rng.sample(freeforms[:40], 2),
    )
    return f, 1, None, True


def _rating_words(rng, ratings) -> WorkFilter:
    low = rng.choice([1000, 5000, 10000])
    return WorkFilter(
        include_tags=[rng.choice(ratings)], words=Range(low=low, high=low * 10), sort=Sort.KUDOS
    )


def listing(acc: Accelerator, f: WorkFilter, page: int, text_ids, facets: bool):
    """What `polis.search.service._accelerated` does for a listing once it holds the text
    matches: ids, total, facet rows."""
    offset = (page - 1) * PER_PAGE
    return accel_broad.answer(acc, f, text_ids, offset, PER_PAGE, None, FACETS_PER_TYPE, facets)


def _percentile(timings: list[float], share: float) -> float:
    return timings[max(0, int(round(share * len(timings))) - 1)]


def serve(snapshot_dir: Path, *, runs: int, seed: int, warmup: int = 3) -> dict:
    """Load the snapshot as a new app process would, then time the query mix."""
    start = time.perf_counter()
    acc = snapshot.load(snapshot_dir)
    loaded = time.perf_counter() - start
    acc.warm()
    warmed = time.perf_counter() - start
    gc.collect()
    gc.freeze()
    ready = memory(snapshot_dir)
    mix = query_mix(acc)
    rng = random.Random(seed)
    results = {}
    for name, make in mix.items():
        timings, cpu = [], []
        for index in range(warmup + runs):
            f, page, text, facets = make(rng)
            begin, begin_cpu = time.perf_counter(), time.process_time()
            listing(acc, f, page, text, facets)
            if index >= warmup:
                timings.append((time.perf_counter() - begin) * 1000)
                cpu.append((time.process_time() - begin_cpu) * 1000)
        timings.sort()
        cpu.sort()
        results[name] = {
            "p50": statistics.median(timings),
            "p95": _percentile(timings, 0.95),
            "max": timings[-1],
            # CPU time of the process (both counting threads): what a query costs on a
            # machine whose cores are shared, as this one is.
            "cpu_p50": statistics.median(cpu),
            "cpu_p95": _percentile(cpu, 0.95),
        }
    return {
        "load_seconds": loaded,
        "warm_seconds": warmed,
        "memory": ready,
        "memory_after": memory(snapshot_dir),
        "queries": results,
        "pid": os.getpid(),
    }


def main(snapshot_dir: str, runs: int, seed: int) -> None:
    print(json.dumps(serve(Path(snapshot_dir), runs=runs, seed=seed)))
