"""The accelerator answers exactly what the SQL backends answer, and stays exact after writes."""

import datetime
import random

import pytest
from django.utils import timezone

from bench.corpus import build_corpus
from polis.search import accel, accel_facets, service
from polis.search.backends.sql import get_backend
from polis.search.query import Range, Sort, WorkFilter
from polis.search.service import facet_groups
from polis.tags.filters import compute_filter_sets
from polis.tags.models import FilterTagging, Tag
from polis.tags.wrangling import tag_make_synonym
from polis.works.actions import ChapterInput, WorkInput, work_create, work_delete
from polis.works.models import Work

pytestmark = pytest.mark.django_db

SORTS = [Sort.REVISED, Sort.POSTED, Sort.WORDS, Sort.HITS, Sort.KUDOS, Sort.COMMENTS]


@pytest.fixture
def corpus():
    counts = build_corpus(works=400, seed=3, progress=False)
    assert counts["works"] == 400
    return counts


def _popular(tag_type: str) -> list[int]:
    tags = FilterTagging.objects.filter(tag__type=tag_type).values_list("tag_id", flat=True)
    ranked: dict[int, int] = {}
    for tag_id in tags:
        ranked[tag_id] = ranked.get(tag_id, 0) + 1
    return sorted(ranked, key=lambda t: (-ranked[t], t))


def _random_filter(rng: random.Random, pools: dict[str, list[int]]) -> WorkFilter:
    f = WorkFilter(include_restricted=rng.random() < 0.5)
    if rng.random() < 0.7:
        f.include_tags = [rng.choice(pools["fandom"][:10])]
    if rng.random() < 0.3:
        f.include_tags.append(rng.choice(pools["freeform"][:15]))
    if rng.random() < 0.4:
        f.exclude_tags = rng.sample(pools["freeform"][:20], 2)
    if rng.random() < 0.3:
        f.complete = rng.random() < 0.5
    if rng.random() < 0.2:
        f.crossover = rng.random() < 0.5
    if rng.random() < 0.2:
        f.single_chapter = True
    if rng.random() < 0.3:
        low = rng.choice([500, 2000, 8000])
        f.words = Range(low=low, high=low * rng.choice([2, 10]))
    if rng.random() < 0.2:
        f.language = "en"
    if rng.random() < 0.2:
        f.revised_from = timezone.now() - datetime.timedelta(days=rng.choice([30, 365, 2000]))
    if rng.random() < 0.3:
        f.query = f"w{rng.randrange(3, 60)}"
    f.sort = rng.choice(SORTS + ([Sort.BEST, Sort.BEST] if f.query else []))
    f.descending = f.sort == Sort.BEST or rng.random() < 0.8
    return f


def _accelerated(accelerator, f: WorkFilter, offset: int, limit: int):
    """The service's accelerated path, exactly as listings run it."""
    ids, total, rows = service._accelerated(accelerator, get_backend(), f, offset, limit)
    return ids, total, facet_groups(rows)


def _facet_view(groups):
    return [(g.tag_type, [(x.tag.pk, x.count) for x in g.facets]) for g in groups]


def _assert_parity(accelerator, rng, pools, rounds: int) -> None:
    backend = get_backend()
    for _ in range(rounds):
        f = _random_filter(rng, pools)
        offset = rng.choice([0, 0, 20, 40])
        expected_ids, expected_total = backend.search(f, offset=offset, limit=20)
        expected_facets = facet_groups(backend.facets(f)) if expected_total else []
        ids, total, facets = _accelerated(accelerator, f, offset, 20)
        assert (ids, total) == (expected_ids, expected_total), f
        if total:
            assert _facet_view(facets) == _facet_view(expected_facets), f


def test_corpus_filter_sets_match_what_wrangling_derives(corpus):
    work_ids = list(Work.objects.order_by("pk").values_list("pk", flat=True)[:150])
    stored: dict[int, set[int]] = {work_id: set() for work_id in work_ids}
    for work_id, tag_id in FilterTagging.objects.filter(work_id__in=work_ids).values_list(
        "work_id", "tag_id"
    ):
        stored[work_id].add(tag_id)
    assert stored == compute_filter_sets(work_ids)


def test_accelerator_matches_the_sql_backend_on_random_filters(corpus):
    accelerator = accel.Accelerator().build()
    pools = {kind: _popular(kind) for kind in ("fandom", "freeform")}
    _assert_parity(accelerator, random.Random(11), pools, rounds=120)


@pytest.mark.parametrize(
    ("matvec_share", "split_at", "paths"),
    [
        (10**9, 10**9, {"sparse product"}),
        (0, 0, {"two threads", "gather"}),
        (0, 10**9, {"gather"}),
    ],
    ids=["sparse product", "two threads", "one gather"],
)
def test_facet_counts_are_the_same_however_they_are_counted(
    corpus, monkeypatch, matvec_share, split_at, paths
):
    """Big result sets are counted with a sparse product, middling ones in two halves on two
    threads, small ones in one gather: each agrees with SQL."""
    monkeypatch.setattr(accel_facets, "_MATVEC_SHARE", matvec_share)
    monkeypatch.setattr(accel_facets, "_SPLIT_COUNTS_AT", split_at)
    taken = set()
    matrix, pool, gather = (
        accel.Accelerator._matrix,
        accel_facets._counting_pool,
        accel.Accelerator._gathered_counts,
    )
    monkeypatch.setattr(
        accel.Accelerator, "_matrix", lambda self: taken.add("sparse product") or matrix(self)
    )
    monkeypatch.setattr(accel_facets, "_counting_pool", lambda: taken.add("two threads") or pool())
    monkeypatch.setattr(
        accel.Accelerator,
        "_gathered_counts",
        lambda self, clean, size: taken.add("gather") or gather(self, clean, size),
    )
    accelerator = accel.Accelerator().build()
    pools = {kind: _popular(kind) for kind in ("fandom", "freeform")}
    _assert_parity(accelerator, random.Random(17), pools, rounds=60)

    assert taken == paths


def test_accelerator_stays_exact_after_posting_wrangling_and_deleting(corpus, make_user):
    accelerator = accel.Accelerator().build()
    pools = {kind: _popular(kind) for kind in ("fandom", "freeform")}
    writer = make_user("parity_writer")
    wrangler = make_user("parity_wrangler", is_tag_wrangler=True)
    fandom = Tag.objects.get(pk=pools["fandom"][0])
    new = work_create(
        actor=writer,
        pseuds=[writer.pseuds.get()],
        data=WorkInput(
            title="A new one",
            rating="General Audiences",
            warnings=["No Archive Warnings Apply"],
            fandoms=[fandom.name],
            freeforms=["Brand New Freeform"],
        ),
        chapter=ChapterInput(text="<p>w3 w4 w5 freshly written</p>"),
        post=True,
    )
    synonym = Tag.objects.get(name="Brand New Freeform")
    tag_make_synonym(actor=wrangler, tag=synonym, of=Tag.objects.get(pk=pools["freeform"][0]))
    victim = Work.objects.filter(posted=True).exclude(pk=new.pk).order_by("pk").first()
    work_delete(actor=writer, work=victim)

    accelerator.sync()

    f = WorkFilter(include_tags=[fandom.pk, pools["freeform"][0]], include_restricted=True)
    ids, total, _ = _accelerated(accelerator, f, 0, 400)
    assert new.pk in ids
    assert (
        victim.pk not in accelerator.ids[: accelerator.size][accelerator.alive[: accelerator.size]]
    )
    _assert_parity(accelerator, random.Random(5), pools, rounds=60)
