"""Fixtures for listing and search tests: wrangled tags and works with known numbers."""

import pytest

from polis.search.indexing import update_stats
from polis.tags.models import Tag
from polis.tags.names import tag_key
from polis.tags.wrangling import tag_add_meta, tag_make_synonym, tag_set_canonical
from polis.works.models import Work


@pytest.fixture
def wrangler(make_user):
    return make_user("wrangler", is_tag_wrangler=True)


def tag(name: str) -> Tag:
    return Tag.objects.get(key=tag_key(name))


@pytest.fixture
def canonical(wrangler):
    """`canonical("A", "B")` makes existing tags canonical, as a wrangler would."""

    def make(*names: str) -> list[Tag]:
        return [tag_set_canonical(actor=wrangler, tag=tag(name), canonical=True) for name in names]

    return make


@pytest.fixture
def synonym(wrangler, make_work):
    """`synonym("Clexa", of="Clarke Griffin/Lexa")`: the synonym tag must already exist."""

    def make(name: str, *, of: str) -> Tag:
        return tag_make_synonym(actor=wrangler, tag=tag(name), of=tag(of))

    return make


@pytest.fixture
def meta(wrangler):
    def make(sub: str, *, meta: str) -> None:
        tag_add_meta(actor=wrangler, sub=tag(sub), meta=tag(meta))

    return make


def words(count: int, word: str = "word") -> str:
    return "<p>" + " ".join([word] * count) + "</p>"


def set_stats(work: Work, *, hits=0, kudos=0, comments=0, bookmarks=0) -> None:
    """Give a work engagement numbers and copy them into the index, as the counters' actions do.

    Kudos, comments and bookmarks belong to the engagement app; these tests are about how
    listings sort and filter on the numbers, so the numbers are set directly.
    """
    Work.objects.filter(pk=work.pk).update(
        hit_count=hits, kudos_count=kudos, comment_count=comments, bookmark_count=bookmarks
    )
    update_stats([work.pk])
