"""`polis bench scale`: its report, and its synthetic arrays answered exactly.

The answers of the accelerator (through `accel_broad.answer`, as the service calls it) on the
generated arrays are checked against a plain numpy computation from the work → tags lists
and the columns alone: a full sort and a bincount, no postings, no thresholds.
"""

import io
import json

import numpy as np
import pytest
from django.core.management import call_command

from bench import scale, scale_run
from polis.search import accel_broad, accel_facets, snapshot
from polis.search.backends.sql import FACETS_PER_TYPE
from polis.search.management.commands.bench import Command
from polis.search.query import Range, Sort, WorkFilter

WORKS = 20_000


@pytest.fixture(scope="module")
def built():
    return scale.build(WORKS, seed=3, progress=False)


def test_the_command_reports_every_query_type_memory_and_snapshot_times(tmp_path, settings):
    settings.DATA_DIR = tmp_path
    out = io.StringIO()
    call_command(
        "bench",
        "scale",
        "--works",
        str(WORKS),
        "--runs",
        "3",
        "--json",
        "--no-progress",
        stdout=out,
    )
    report = json.loads(out.getvalue())
    assert report["archive"]["works"] == WORKS
    assert sum(report["archive"]["types"].values()) == report["archive"]["tags"]
    assert set(report["queries"]) == {
        "home page (newest 20, no facets)",
        "all works (with facets)",
        "one tag (a top-50 fandom)",
        "largest fandom (with facets)",
        "2 include + 2 exclude",
        "rating + words + kudos sort",
        "free text + tag",
        "deep page 50",
    }
    for stats in report["queries"].values():
        assert 0 < stats["p50"] <= stats["p95"] <= stats["max"]
        assert 0 <= stats["cpu_p50"] <= stats["cpu_p95"]
    for key in ("memory", "memory_after"):
        memory = report[key]
        assert memory["own"] == memory["rss"] - memory["snapshot_mapped"] > 0
    assert report["save_seconds"] > 0 and report["load_seconds"] > 0
    assert report["snapshot_bytes"] > 0
    assert list(tmp_path.iterdir()) == []  # the snapshot folder is removed afterwards
    text = io.StringIO()
    Command(stdout=text)._print(report)
    lines = text.getvalue().splitlines()
    assert lines[0].startswith("archive: works 20,000, filter taggings ")
    assert lines[2].startswith("build ") and "snapshot save" in lines[2]
    assert lines[3].startswith("memory ready: own ")
    assert lines[5].split() == ["query", "p50", "p95", "max", "cpu", "p50", "cpu", "p95", "(ms)"]
    assert [line[:34].strip() for line in lines[6:]] == list(report["queries"])


def test_the_shape_is_ao3_like(built):
    acc, shape = built
    n = acc.size
    per_work = np.diff(acc.work_ptr)
    assert 13 <= per_work.mean() <= 16
    fandom_sizes = np.diff(acc.tag_ptr)[shape.starts["fandom"] : shape.starts["character"]]
    assert 0.015 * n <= fandom_sizes.max() <= 0.03 * n
    assert (np.diff(acc.cols["published"][:n]) >= 0).all()  # ids in posting order
    assert (
        acc.cols["revised"][:n] >= acc.cols["published"][:n].astype(np.int64) * 86_400_000_000
    ).all()
    # every work's tags are distinct and ascending, and the postings are their inverse
    for start, stop in zip(acc.work_ptr[:-1], acc.work_ptr[1:], strict=True):
        assert (np.diff(acc.work_tags[start:stop]) > 0).all()
    owners = np.repeat(np.arange(n), per_work)
    order = np.lexsort((owners, acc.work_tags))
    assert np.array_equal(acc.tag_works, owners[order])
    assert np.array_equal(np.diff(acc.tag_ptr), np.bincount(acc.work_tags, minlength=shape.total))


def _brute(acc, shape, f: WorkFilter, text_ids, offset, limit):
    """The listing from the columns and each work's own tag list only."""
    n = acc.size
    cols = {name: acc.cols[name][:n].astype(np.int64) for name in acc.cols}
    owners = np.repeat(np.arange(n), np.diff(acc.work_ptr))

    def has(tag_id):
        found = np.zeros(n, bool)
        found[owners[acc.work_tags == tag_id - 1]] = True
        return found

    mask = np.ones(n, bool)
    for tag_id in f.include_tags:
        mask &= has(tag_id)
    for tag_id in f.exclude_tags:
        mask &= ~has(tag_id)
    if not f.include_restricted:
        mask &= cols["restricted"] == 0
    if f.words.low is not None:
        mask &= cols["words"] >= f.words.low
    if f.words.high is not None:
        mask &= cols["words"] <= f.words.high
    if text_ids is not None:
        mask &= np.isin(acc.ids[:n], text_ids)
    positions = np.flatnonzero(mask)
    key = cols[accel_broad.SORT_KEYS[f.sort]][positions]
    ids = acc.ids[positions]
    order = np.lexsort((-ids, -key)) if f.descending else np.lexsort((ids, key))
    page = ids[order][offset : offset + limit].tolist()
    counts = np.bincount(acc.work_tags[mask[owners]], minlength=shape.total)
    types = np.array(shape.type_of_dense())
    rows = set()
    for tag_type in set(types.tolist()):
        members = np.flatnonzero((types == tag_type) & (counts > 0))
        if len(members) > FACETS_PER_TYPE:
            floor = np.sort(counts[members])[::-1][FACETS_PER_TYPE - 1]
            members = members[counts[members] >= floor]
        rows |= {(int(d) + 1, tag_type, int(counts[d])) for d in members}
    return page, len(positions), rows


def _queries(acc, shape):
    mix = scale_run.query_mix(acc)
    fandoms = [shape.starts["fandom"] + 1, shape.starts["fandom"] + 2]
    freeform = shape.starts["freeform"] + 1
    rng = np.random.default_rng(4)
    text = np.sort(rng.choice(acc.ids[: acc.size], WORKS // 20, replace=False))
    yield WorkFilter(), None, 0
    yield WorkFilter(include_restricted=True), None, 20
    yield (
        WorkFilter(exclude_tags=[freeform, freeform + 1], sort=Sort.WORDS, descending=False),
        None,
        980,
    )
    yield WorkFilter(sort=Sort.HITS), None, 0
    yield WorkFilter(words=Range(low=300)), None, 0  # most works, through candidates
    yield WorkFilter(include_tags=[fandoms[0]]), None, 0
    yield WorkFilter(include_tags=[fandoms[1]]), None, 40
    yield WorkFilter(include_tags=[fandoms[0]], exclude_tags=[freeform]), None, 0
    yield WorkFilter(include_tags=[1], words=Range(1000, 10_000), sort=Sort.KUDOS), None, 0
    yield WorkFilter(include_tags=[fandoms[0]], query="w1"), text, 0
    for name in ("2 include + 2 exclude", "rating + words + kudos sort"):
        f, page, _text, _facets = mix[name](__import__("random").Random(5))
        yield f, None, (page - 1) * 20


# 1024 (the default) compares every work at 20,000 works; 8 and 2 take the sampled threshold.
# Without the sparse product (as above 50M taggings) big sets are gathered, or their
# complement.
@pytest.mark.parametrize("sample", [1024, 8, 2])
@pytest.mark.parametrize("matrix", [True, False], ids=["sparse product", "no matrix"])
def test_answers_agree_with_brute_force_before_and_after_a_snapshot(
    built, tmp_path, monkeypatch, sample, matrix
):
    monkeypatch.setattr(accel_broad, "SAMPLE_PER_WANTED", sample)
    if not matrix:
        monkeypatch.setattr(accel_facets, "_MATVEC_MAX_TAGGINGS", 0)
    acc, shape = built
    snapshot.save(acc, tmp_path / "snapshot")
    loaded = snapshot.load(tmp_path / "snapshot")
    loaded.warm()
    checked = 0
    for f, text_ids, offset in _queries(acc, shape):
        want = _brute(acc, shape, f, text_ids, offset, 20)
        assert want[1] > offset  # every query has a non-empty page
        for source in (acc, loaded):
            ids, total, rows = accel_broad.answer(
                source, f, text_ids, offset, 20, None, FACETS_PER_TYPE
            )
            assert (ids, total, set(rows)) == want, f
            checked += 1
    assert checked == 2 * 12
    assert accel_broad.applies(WorkFilter(exclude_tags=[3], sort=Sort.KUDOS))
    assert not accel_broad.applies(WorkFilter(complete=True))


def test_the_bench_uses_the_sidebar_facet_count():
    assert scale_run.FACETS_PER_TYPE == FACETS_PER_TYPE
