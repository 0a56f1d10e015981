"""A series never ties an anonymous work to a name: a named series shows only its named
works and bylines their creators; a series with no listed named work is "Anonymous" and
shows only its anonymous works (polis.works.series)."""

import pytest
from django.test import Client

from polis.collections.actions.collections import (
    CollectionInput,
    collection_create,
    collection_reveal,
)
from polis.collections.actions.items import item_add
from polis.works.series import series_add_work, series_create
from tests.works.support import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def fest(make_user):
    data = CollectionInput(name="fest", title="Fest", anonymous=True)
    return collection_create(actor=make_user("owner"), data=data)


@pytest.fixture
def bea(make_user):
    return make_user("bea")


@pytest.fixture
def mixed(make_user, make_work, fest, bea):
    """alice's series "Sea": her named "Shore", then bea's "Masked", anonymous in a fest."""
    alice = make_user("alice")
    shore, masked = make_work(alice, title="Shore"), make_work(bea, title="Masked")
    series = series_create(actor=alice, title="Sea")
    series_add_work(actor=alice, series=series, work=shore)
    series_add_work(actor=bea, series=series, work=masked)
    item_add(actor=bea, collection=fest, work=masked)
    return series, shore, masked


@pytest.fixture
def masked_only(make_work, fest, bea):
    """bea's series "Veil", whose only work is anonymous."""
    masked = make_work(bea, title="Hidden")
    series = series_create(actor=bea, title="Veil")
    series_add_work(actor=bea, series=series, work=masked)
    item_add(actor=bea, collection=fest, work=masked)
    return series, masked


def _series_page(series, client=None):
    page = parse((client or Client()).get(series.get_absolute_url()))
    creators = page.select("dl.series.meta dd")[0].text
    titles = [h.select("a")[0].text for h in page.select("li.work.blurb h4.heading")]
    return creators, titles


def test_a_named_series_leaves_out_an_anonymous_work_and_its_creator(mixed):
    series, _, _ = mixed
    creators, titles = _series_page(series)
    assert (creators, titles) == ("alice", ["Shore"])
    assert parse(Client().get(series.get_absolute_url())).select_one("dd.works").text == "1"


def test_an_anonymous_works_page_shows_no_named_series_and_its_neighbour_no_link(mixed):
    series, shore, masked = mixed
    assert parse(Client().get(masked.get_absolute_url())).select("dd.series") == []
    shore_series = parse(Client().get(shore.get_absolute_url())).select_one("dd.series")
    assert shore_series.select_one("span.position").text == "Part 1 of Sea"
    assert shore_series.select("a.next") == []


def test_a_series_of_anonymous_works_is_bylined_anonymous(masked_only):
    series, masked = masked_only
    assert _series_page(series) == ("Anonymous", ["Hidden"])
    part = parse(Client().get(masked.get_absolute_url())).select_one("dd.series span.position")
    assert part.text == "Part 1 of Veil"


def test_user_series_pages_do_not_list_series_only_through_anonymous_works(
    mixed, masked_only, make_user
):
    reader = Client()
    reader.force_login(make_user("reader"))
    for client in (Client(), reader):
        assert parse(client.get("/users/bea/series")).texts("li.series.blurb h4") == []
        assert parse(client.get("/users/alice/series")).texts("li.series.blurb h4") == ["Sea"]


def test_revealing_the_creators_gives_the_work_back_to_its_series(mixed, fest):
    series, _, masked = mixed
    collection_reveal(actor=None, collection=fest)  # the scheduled reveal
    creators, titles = _series_page(series)
    assert (creators, titles) == ("alice, bea", ["Shore", "Masked"])
    assert parse(Client().get("/users/bea/series")).texts("li.series.blurb h4") == ["Sea"]
    part = parse(Client().get(masked.get_absolute_url())).select_one("dd.series span.position")
    assert part.text == "Part 2 of Sea"
