"""The accelerator answers AO3 query-language searches exactly as the SQL backend does: the
same works, order, totals and facet counts, on random queries over a generated corpus."""

import datetime
import random

import pytest

from bench.corpus import build_corpus
from polis.search import accel, service
from polis.search.backends.sql import get_backend
from polis.search.query import Sort, WorkFilter
from polis.search.service import facet_groups
from polis.tags.models import FilterTagging, Tag

pytestmark = pytest.mark.django_db

SORTS = [Sort.REVISED, Sort.POSTED, Sort.WORDS, Sort.KUDOS, Sort.BEST, Sort.BEST]


@pytest.fixture
def corpus():
    return build_corpus(works=400, seed=5, progress=False)


def _pools() -> dict[str, list[str]]:
    counts: dict[int, int] = {}
    for tag_id in FilterTagging.objects.values_list("tag_id", flat=True):
        counts[tag_id] = counts.get(tag_id, 0) + 1
    popular = sorted(counts, key=lambda t: (-counts[t], t))
    tags = Tag.objects.in_bulk(popular[:80])
    return {
        "fandom": [tags[t].name for t in popular[:80] if tags[t].type == "fandom"][:8],
        "tag": [tags[t].name for t in popular[:80] if tags[t].type == "freeform"][:12],
        "ids": popular[:40],
    }


def _leaf(rng: random.Random, pools) -> str:
    word = f"w{rng.choice([rng.randrange(1, 12), rng.randrange(12, 80)])}"
    kind = rng.randrange(18)
    if kind < 4:
        return word
    if kind == 4:
        return f"w{rng.randrange(1, 9)}*"
    if kind == 5:
        return f'"{word} w{rng.randrange(1, 6)}"'
    if kind == 6:
        return f"{rng.choice(['title', 'summary', 'creators'])}:{word}"
    if kind == 7:
        return f"creators:bench_5_{rng.randrange(1, 40)}"
    if kind == 8:
        field = rng.choice(["kudos_count", "hits", "word_count", "comments_count"])
        n = rng.choice([1, 5, 20, 100, 2000])
        return f"{field}:{rng.choice(['>', '<', ''])}{n}"
    if kind == 9:
        low = rng.choice([0, 3, 10])
        return f"bookmarks_count:{low}-{low + rng.choice([0, 5, 50])}"
    if kind == 10:
        unit = rng.choice(["days", "weeks", "months", "years"])
        return f"revised_at:{rng.choice(['<', '>', ''])}{rng.randrange(1, 30)} {unit}"
    if kind == 11:
        day = datetime.date(2024, 1, 1) - datetime.timedelta(days=rng.randrange(0, 1500))
        sign = rng.choice(["<", ">", ""])
        field = rng.choice(["created_at", "revised_at"])
        if not sign and rng.random() < 0.6:
            return f"{field}:{day}-{day + datetime.timedelta(days=rng.randrange(1, 400))}"
        return f"{field}:{sign}{day}"
    if kind == 12:
        return f"complete:{rng.choice(['true', 'false'])}"
    if kind == 13:
        return f"language:{rng.choice(['en', 'fr', 'es', 'de'])}"
    if kind == 14:
        return f"restricted:{rng.choice(['true', 'false'])}"
    if kind == 15:
        return f'fandoms:"{rng.choice(pools["fandom"])}"'
    if kind == 16:
        name = rng.choice(pools["tag"])
        return f'tag:"{name}"' if rng.random() < 0.7 else f"tags:{name.split()[0]}*"
    return f"-{word}"


def _query(rng: random.Random, pools, depth: int = 0) -> str:
    parts = []
    for _ in range(rng.randint(1, 3)):
        roll = rng.random()
        if roll < 0.2 and depth < 2:
            part = f"({_query(rng, pools, depth + 1)})"
        else:
            part = _leaf(rng, pools)
        if rng.random() < 0.15:
            part = f"NOT {part}" if not part.startswith("-") else part
        if rng.random() < 0.3:
            part = f"{part} OR {_leaf(rng, pools)}"
        parts.append(part)
    return (" AND " if rng.random() < 0.2 else " ").join(parts)


def _facet_view(groups):
    return [(g.tag_type, [(x.tag.pk, x.count) for x in g.facets]) for g in groups]


def test_the_accelerator_answers_random_queries_as_sql_does(corpus):
    accelerator = accel.Accelerator().build()
    backend = get_backend()
    pools = _pools()
    rng = random.Random(23)
    found_any = 0
    totals = set()
    rounds = 150
    for _ in range(rounds):
        f = WorkFilter(include_restricted=rng.random() < 0.5, query=_query(rng, pools))
        if rng.random() < 0.3:
            f.include_tags = [rng.choice(pools["ids"][:15])]
        f.sort = rng.choice(SORTS)
        f.descending = f.sort == Sort.BEST or rng.random() < 0.8
        assert accel.Accelerator.supports(f), f
        offset = rng.choice([0, 0, 20])
        expected_ids, expected_total = backend.search(f, offset=offset, limit=20)
        expected_facets = facet_groups(backend.facets(f)) if expected_total else []
        ids, total, rows = service._accelerated(accelerator, backend, f, offset, 20)
        assert (ids, total) == (expected_ids, expected_total), f.query
        totals.add(total)
        if total:
            found_any += 1
            assert _facet_view(facet_groups(rows)) == _facet_view(expected_facets), f.query
    # The queries are not all empty: most find something.
    assert found_any > rounds // 2
    assert len(totals) > 40  # and they narrow the works in many different ways
