"""Crossovers: canonical fandoms on a work that share no meta tag; wrangling keeps them exact."""

import pytest

from tests.search.conftest import tag
from tests.works.support import listed_work_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def fandoms(make_user, make_work, canonical, synonym, meta):
    writer = make_user("writer")

    def work(title, *names):
        return make_work(writer, title=title, fandoms=list(names))

    works = {
        "solo": work("Solo", "The 100 (TV)"),
        "franchise": work("Franchise", "The 100 (TV)", "The 100 (Novels)"),
        "with_meta": work("With Meta", "The 100 (TV)", "The 100 - All Media Types"),
        "cross": work("Cross", "The 100 (TV)", "Star Trek"),
        "unwrangled": work("Unwrangled", "The 100 (TV)", "Brand New Fandom"),
        "synonym": work("Synonym", "The 100 (Novels)", "Trek"),
    }
    canonical("The 100 (TV)", "The 100 (Novels)", "The 100 - All Media Types", "Star Trek")
    synonym("Trek", of="Star Trek")
    meta("The 100 (TV)", meta="The 100 - All Media Types")
    meta("The 100 (Novels)", meta="The 100 - All Media Types")
    return works


def listed(client, value):
    return listed_work_ids(
        client.get(
            "/works",
            {"work_search[crossover]": value, "work_search[sort_column]": "title_to_sort_on"},
        )
    )


def test_only_crossovers(client, fandoms):
    assert listed(client, "T") == [fandoms["cross"].pk, fandoms["synonym"].pk]


def test_without_crossovers(client, fandoms):
    # Fandoms under one meta tag (or the meta tag itself) are one franchise, not a crossover;
    # an unwrangled fandom is not counted until a wrangler says what it is.
    assert listed(client, "F") == [
        fandoms[key].pk for key in ("franchise", "solo", "unwrangled", "with_meta")
    ]


def test_crossovers_included_by_default(client, fandoms):
    assert len(listed(client, "")) == 6


def test_a_new_shared_meta_tag_ends_a_crossover(client, fandoms, make_work, canonical, meta):
    make_work(fandoms=["Science Fiction - All Media Types"])
    canonical("Science Fiction - All Media Types")

    meta("Star Trek", meta="Science Fiction - All Media Types")
    assert listed(client, "T") == [fandoms["cross"].pk, fandoms["synonym"].pk]

    meta("The 100 - All Media Types", meta="Science Fiction - All Media Types")
    assert listed(client, "T") == []


def test_wrangling_a_fandom_as_canonical_can_make_a_crossover(client, fandoms, canonical):
    canonical("Brand New Fandom")

    assert tag("Brand New Fandom").canonical
    assert fandoms["unwrangled"].pk in listed(client, "T")
