"""A fixed, seeded mix of listing queries against the current archive: p50 / p95 / max."""

import gc
import random
import statistics
import time
from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.db import connection

from polis.search.query import Range, Sort, WorkFilter
from polis.search.service import work_search
from polis.tags.models import Tag


def _popular(tag_type: str, limit: int) -> list[int]:
    """Canonical tags of one type, most used first (from the filter table)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT f.tag_id FROM tags_filtertagging f JOIN tags_tag t ON t.id = f.tag_id"
            " WHERE t.type = %s GROUP BY f.tag_id ORDER BY COUNT(*) DESC LIMIT %s",
            [tag_type, limit],
        )
        return [row[0] for row in cursor.fetchall()]


def _children(fandom: int, tag_type: str) -> list[int]:
    return list(
        Tag.objects.filter(
            parent_links__parent_id=fandom, type=tag_type, canonical=True
        ).values_list("pk", flat=True)[:50]
    )


def query_mix(seed: int = 7) -> dict[str, Callable[[random.Random], tuple[WorkFilter, int]]]:
    fandoms = _popular("fandom", 200)
    freeforms = _popular("freeform", 200)
    ratings = list(Tag.objects.filter(type="rating").values_list("pk", flat=True))
    largest = fandoms[0]

    def one_tag(rng):
        return WorkFilter(include_tags=[rng.choice(fandoms[:50])]), 1

    def largest_fandom(rng):
        return WorkFilter(include_tags=[largest]), 1

    def two_in_two_out(rng):
        fandom = rng.choice(fandoms[:30])
        characters = _children(fandom, "character") or [fandom]
        excluded = rng.sample(freeforms[:40], 2)
        return WorkFilter(
            include_tags=[fandom, rng.choice(characters[:5])], exclude_tags=excluded
        ), 1

    def rating_words_kudos(rng):
        low = rng.choice([1000, 5000, 10000])
        f = WorkFilter(
            include_tags=[rng.choice(ratings)],
            words=Range(low=low, high=low * 10),
            sort=Sort.KUDOS,
        )
        return f, 1

    def text_and_tag(rng):
        # Words in 1–10 % of works: near-universal words are stopwords to a reader.
        word = f"w{rng.randrange(300, 3000)}"
        return WorkFilter(include_tags=[rng.choice(fandoms[:50])], query=word), 1

    def deep_page(rng):
        return WorkFilter(include_tags=[rng.choice(fandoms[:5])]), 50

    return {
        "one tag": one_tag,
        "largest fandom (with facets)": largest_fandom,
        "2 include + 2 exclude": two_in_two_out,
        "rating + words + kudos sort": rating_words_kudos,
        "free text + tag": text_and_tag,
        "deep page 50": deep_page,
    }


def run(*, runs: int = 40, seed: int = 7, warmup: int = 3) -> dict[str, dict[str, float]]:
    rng = random.Random(seed)
    viewer = AnonymousUser()
    results = {}
    mix = query_mix(seed)
    # As an app process is when it serves: loaded, its objects frozen (polis/wsgi.py).
    gc.collect()
    gc.freeze()
    for name, make in mix.items():
        timings = []
        for index in range(warmup + runs):
            f, page = make(rng)
            start = time.perf_counter()
            result = work_search(viewer=viewer, f=f, page_number=page)
            list(result.page)
            elapsed = (time.perf_counter() - start) * 1000
            if index >= warmup:
                timings.append(elapsed)
        timings.sort()
        results[name] = {
            "p50": statistics.median(timings),
            "p95": timings[max(0, int(round(0.95 * len(timings))) - 1)],
            "max": timings[-1],
        }
    return results
