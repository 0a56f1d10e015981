"""`polis bench scale --works N`: the accelerator's arrays for an AO3-sized archive, no database.

The arrays a snapshot holds (columns, work → tags and tag → works postings) are generated
straight into an `Accelerator` with numpy, a million works at a time, so 17,000,000 works take
minutes. The shape (see docs/benchmarks.md, "bench scale"):

- fandoms: 70,000 at 17M works (scaled with N, at least 20), Zipf-popular with the exponent
  that gives the largest `TOP_FANDOM_SHARE` of the works (340,000 at 17M); 5 % of works are
  crossovers with a second fandom;
- characters and relationships belong to a fandom, about size**0.55 and 1.5 × size**0.55 of
  them per fandom (size = its expected works), picked within it log-uniformly (≈ 1/rank);
- a global pool of additional tags (3 % of N), Zipf with the exponent that puts the most
  used one on ~3.5 % of works (as AO3's "Fluff");
- per work: 1 rating, 1–2 warnings, 1–2 categories, its fandoms, Poisson(2.5) characters,
  Poisson(1.2) relationships, Poisson(6.5) additional tags: ~14 distinct filter tags;
- posting dates over 15 years growing 8× from first to last year (ids in date order),
  30 % revised later; word counts log-normal (median 2,500, σ 1.2); chapters 1 for 55 %;
  hits log-normal (median 600, σ 1.5) growing with age, kudos a Beta(2, 30) share of hits,
  comments and bookmarks log-normal shares of kudos; 2 % restricted; 10 % not English.
"""

import math
from dataclasses import dataclass

import numpy as np
from tqdm import tqdm

from polis.search.accel import Accelerator
from polis.search.accel_columns import COLUMN_TYPES, COLUMNS

AO3_WORKS = 17_000_000
AO3_FANDOMS = 70_000
TOP_FANDOM_SHARE = 0.02
# AO3's most used additional tag (Fluff) is on ~3.5 % of works: 0.54 % of 6.5 draws a work.
FREEFORM_TOP_SHARE = 0.0054
CHUNK = 1_000_000
SPAN_DAYS = 15 * 365
START_DAY = 14_563  # 2009-11-15, days since 1970-01-01
FIXED = {"rating": 5, "warning": 6, "category": 6}
RATING_WEIGHTS = [30, 30, 15, 20, 5]
WARNING_WEIGHTS = [40, 25, 12, 10, 8, 5]
CATEGORY_WEIGHTS = [35, 30, 20, 8, 4, 3]
LANGUAGES = ["en", "es", "fr", "de", "zh", "ru", "pt-BR", "it", "ja", "ko", "pl"]
LANGUAGE_WEIGHTS = [900, 15, 15, 10, 20, 15, 8, 5, 5, 4, 3]


@dataclass
class Shape:
    """The synthetic tag set: dense indexes are laid out type after type."""

    fandoms: int
    fandom_cdf: np.ndarray
    char_start: np.ndarray  # per fandom: first dense index of its characters
    char_count: np.ndarray
    rel_start: np.ndarray
    rel_count: np.ndarray
    freeform_start: int
    freeform_cdf: np.ndarray
    starts: dict[str, int]  # tag type → first dense index
    total: int

    def type_of_dense(self) -> list[str]:
        order = sorted(self.starts.items(), key=lambda item: item[1])
        types = []
        for index, (tag_type, start) in enumerate(order):
            end = order[index + 1][1] if index + 1 < len(order) else self.total
            types += [tag_type] * (end - start)
        return types


def zipf_exponent(count: int, top_share: float) -> float:
    """The s for which the most popular of `count` items has `top_share` of the draws."""
    ranks = np.arange(1, count + 1, dtype=np.float64)
    low, high = 0.0, 3.0
    for _ in range(50):
        s = (low + high) / 2
        if 1 / np.sum(ranks**-s) > top_share:
            high = s
        else:
            low = s
    return (low + high) / 2


def _cdf(weights: np.ndarray) -> np.ndarray:
    cdf = np.cumsum(weights, dtype=np.float64)
    return cdf / cdf[-1]


def make_shape(works: int) -> Shape:
    fandoms = max(20, round(AO3_FANDOMS * works / AO3_WORKS))
    s = zipf_exponent(fandoms, TOP_FANDOM_SHARE)
    weights = np.arange(1, fandoms + 1, dtype=np.float64) ** -s
    expected = works * weights / weights.sum()
    char_count = np.maximum(2, np.round(expected**0.55)).astype(np.int64)
    rel_count = np.maximum(1, np.round(1.5 * expected**0.55)).astype(np.int64)
    starts = {"rating": 0, "warning": 5, "category": 11, "fandom": 17}
    starts["character"] = starts["fandom"] + fandoms
    char_start = starts["character"] + np.cumsum(char_count) - char_count
    starts["relationship"] = starts["character"] + int(char_count.sum())
    rel_start = starts["relationship"] + np.cumsum(rel_count) - rel_count
    starts["freeform"] = starts["relationship"] + int(rel_count.sum())
    freeforms = max(50, round(works * 0.03))
    s_free = zipf_exponent(freeforms, FREEFORM_TOP_SHARE)
    freeform_cdf = _cdf(np.arange(1, freeforms + 1, dtype=np.float64) ** -s_free)
    return Shape(
        fandoms=fandoms,
        fandom_cdf=_cdf(weights),
        char_start=char_start,
        char_count=char_count,
        rel_start=rel_start,
        rel_count=rel_count,
        freeform_start=starts["freeform"],
        freeform_cdf=freeform_cdf,
        starts=starts,
        total=starts["freeform"] + freeforms,
    )


def _pick(rng, cdf: np.ndarray, size: int) -> np.ndarray:
    return np.minimum(np.searchsorted(cdf, rng.random(size)), len(cdf) - 1)


def _within(rng, owner: np.ndarray, start: np.ndarray, count: np.ndarray) -> np.ndarray:
    """One tag of each owner's fandom, log-uniformly by rank (≈ 1/rank)."""
    c = count[owner]
    rank = np.floor(np.exp(rng.random(len(owner)) * np.log(c + 1))).astype(np.int64) - 1
    return start[owner] + np.clip(rank, 0, c - 1)


def _chunk_tags(rng, shape: Shape, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(tags per work, dense tags sorted by work then tag, crossover flags) for n works."""
    local = np.arange(n, dtype=np.int64)
    fandom = _pick(rng, shape.fandom_cdf, n)
    cross = np.flatnonzero(rng.random(n) < 0.05)
    second = _pick(rng, shape.fandom_cdf, len(cross))
    parts_work = [local, local, local, cross]
    parts_tag = [
        _pick(rng, _cdf(np.array(RATING_WEIGHTS, float)), n),
        shape.starts["warning"] + _pick(rng, _cdf(np.array(WARNING_WEIGHTS, float)), n),
        shape.starts["category"] + _pick(rng, _cdf(np.array(CATEGORY_WEIGHTS, float)), n),
        shape.starts["fandom"] + second,
    ]
    parts_work.append(local)
    parts_tag.append(shape.starts["fandom"] + fandom)
    for extra, mean in (("warning", 0.25), ("category", 0.2)):
        who = np.flatnonzero(rng.random(n) < mean)
        parts_work.append(who)
        parts_tag.append(shape.starts[extra] + rng.integers(0, FIXED[extra], len(who)))
    for mean, start, count in (
        (2.5, shape.char_start, shape.char_count),
        (1.2, shape.rel_start, shape.rel_count),
    ):
        who = np.repeat(local, rng.poisson(mean, n))
        parts_work.append(who)
        parts_tag.append(_within(rng, fandom[who], start, count))
    who = np.repeat(local, rng.poisson(6.5, n))
    parts_work.append(who)
    parts_tag.append(shape.freeform_start + _pick(rng, shape.freeform_cdf, len(who)))
    keys = np.concatenate(parts_work) * shape.total + np.concatenate(parts_tag)
    keys.sort()  # np.unique hashes first: ten times slower here
    keys = keys[np.concatenate([[True], keys[1:] != keys[:-1]])]
    works, tags = np.divmod(keys, shape.total)
    crossover = np.zeros(n, np.int64)
    crossover[cross[second != fandom[cross]]] = 1
    return np.bincount(works, minlength=n), tags.astype(np.int32), crossover


def _columns(rng, n: int, days: np.ndarray) -> dict[str, np.ndarray]:
    """Every column but crossover for n works posted on these (sorted) days."""
    end = START_DAY + SPAN_DAYS
    revised = days * 86400 + rng.integers(0, 86400, n)
    later = rng.random(n) < 0.3
    extra = np.minimum(rng.exponential(200, n), end - days) * 86400
    revised = revised + np.where(later, extra, 0).astype(np.int64)
    chapters = np.where(rng.random(n) < 0.55, 1, 1 + rng.geometric(0.15, n)).astype(np.int64)
    age = (end - days) / SPAN_DAYS
    hits = np.minimum(rng.lognormal(math.log(600), 1.5, n) * (0.3 + age), 2**31 - 1)
    kudos = hits * rng.beta(2, 30, n)
    complete = np.where(chapters == 1, rng.random(n) < 0.95, rng.random(n) < 0.5)
    return {
        "restricted": (rng.random(n) < 0.02).astype(np.int64),
        "complete": complete.astype(np.int64),
        "revised": revised * 1_000_000,  # microseconds, as polis.search.accel keeps them
        "published": days.astype(np.int64),
        "words": np.clip(rng.lognormal(math.log(2500), 1.2, n), 1, 5_000_000).astype(np.int64),
        "chapters": chapters,
        "hits": hits.astype(np.int64),
        "kudos": np.round(kudos).astype(np.int64),
        "comments": np.round(kudos * rng.lognormal(math.log(0.1), 0.8, n)).astype(np.int64),
        "bookmarks": np.round(kudos * rng.lognormal(math.log(0.12), 0.8, n)).astype(np.int64),
        "language": _pick(rng, _cdf(np.array(LANGUAGE_WEIGHTS, float)), n).astype(np.int64),
    }


def posting_days(rng, works: int) -> np.ndarray:
    """Sorted posting days: growth ×8 from the first year to the last."""
    growth = math.log(8)
    t = np.log1p(rng.random(works) * math.expm1(growth)) / growth
    return np.sort(START_DAY + np.floor(t * SPAN_DAYS).astype(np.int64))


def build(works: int, seed: int = 1, progress: bool = True) -> tuple[Accelerator, Shape]:
    """An Accelerator holding `works` synthetic works, as a fresh build would (no overlay)."""
    rng = np.random.default_rng(seed)
    shape = make_shape(works)
    acc = Accelerator()
    types = shape.type_of_dense()
    for dense, tag_type in enumerate(types):
        acc._dense(dense + 1, tag_type)  # tag id = dense index + 1
    for code in LANGUAGES:
        acc._language(code)
    capacity = max(1024, int(works * 1.1))
    acc.ids = np.zeros(capacity, np.int64)
    acc.ids[:works] = np.arange(1, works + 1)
    acc.alive = np.zeros(capacity, bool)
    acc.alive[:works] = True
    acc.dirty = np.zeros(capacity, bool)
    acc.overlay, acc.overlay_postings = {}, {}
    acc.cols = {name: np.zeros(capacity, COLUMN_TYPES[name]) for name in COLUMNS}
    acc.size = acc.base_size = works
    acc.base_tags = shape.total
    days = posting_days(rng, works)
    lengths, chunks = [], []
    bar = tqdm(total=works, unit="works", disable=not progress, desc="scale arrays")
    for start in range(0, works, CHUNK):
        n = min(CHUNK, works - start)
        counts, tags, crossover = _chunk_tags(rng, shape, n)
        lengths.append(counts)
        chunks.append(tags)
        for name, values in _columns(rng, n, days[start : start + n]).items():
            acc.cols[name][start : start + n] = values
        acc.cols["crossover"][start : start + n] = crossover
        bar.update(n)
    bar.close()
    acc.work_ptr = np.zeros(works + 1, np.int64)
    np.cumsum(np.concatenate(lengths), out=acc.work_ptr[1:])
    acc.work_tags = np.concatenate(chunks)
    del chunks
    acc.tag_ptr, acc.tag_works = _invert(acc.work_ptr, acc.work_tags, shape.total, progress)
    return acc, shape


def _invert(work_ptr, work_tags, tags: int, progress: bool) -> tuple[np.ndarray, np.ndarray]:
    """tag → works postings (ascending positions per tag) by a counting sort, chunk by chunk."""
    tag_ptr = np.zeros(tags + 1, np.int64)
    np.cumsum(np.bincount(work_tags, minlength=tags), out=tag_ptr[1:])
    tag_works = np.empty(len(work_tags), np.int32)
    cursor = tag_ptr[:-1].copy()
    works = len(work_ptr) - 1
    bar = tqdm(total=works, unit="works", disable=not progress, desc="tag postings")
    for start in range(0, works, CHUNK):
        stop = min(works, start + CHUNK)
        low, high = int(work_ptr[start]), int(work_ptr[stop])
        chunk_tags = work_tags[low:high]
        positions = np.repeat(
            np.arange(start, stop, dtype=np.int32), np.diff(work_ptr[start : stop + 1])
        )
        order = np.argsort(chunk_tags, kind="stable")
        sorted_tags = chunk_tags[order]
        counts = np.bincount(chunk_tags, minlength=tags)
        first = np.cumsum(counts) - counts
        rank = np.arange(len(order)) - first[sorted_tags]
        tag_works[cursor[sorted_tags] + rank] = positions[order]
        cursor += counts
        bar.update(stop - start)
    bar.close()
    return tag_ptr, tag_works


def summary(acc: Accelerator, shape: Shape) -> dict:
    """What was built: sizes for the report."""
    sizes = np.diff(acc.tag_ptr)
    fandoms = sizes[shape.starts["fandom"] : shape.starts["character"]]
    n = acc.size
    return {
        "works": n,
        "filter taggings": int(acc.work_ptr[-1]),
        "tags": shape.total,
        "tags per work (mean, x100)": round(100 * int(acc.work_ptr[-1]) / max(1, n)),
        "largest fandom works": int(fandoms.max()),
        "fandoms with a work": int((fandoms > 0).sum()),
        "restricted": int(acc.cols["restricted"][:n].sum()),
        "types": {
            tag_type: int(count)
            for tag_type, count in zip(
                *np.unique(np.array(shape.type_of_dense()), return_counts=True), strict=True
            )
        },
    }
