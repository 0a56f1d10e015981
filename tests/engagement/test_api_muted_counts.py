"""The API counts what the pages count: what users the caller muted left is not counted."""

import pytest
from django.test import Client

from polis.engagement.bookmarks import bookmark_create
from polis.engagement.comments import comment_create
from polis.engagement.relations import mute_add
from polis.works.series import series_add_work, series_create
from tests.works.support import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(make_user, make_work):
    """A work with a comment and a bookmark from a fan and from a bore the reader muted."""
    writer, reader = make_user("writer"), make_user("reader")
    fan, bore = make_user("fan"), make_user("bore")
    work = make_work(writer, title="Tides", freeforms=["Sea"])
    series_add_work(actor=writer, series=series_create(actor=writer, title="Sea"), work=work)
    for person in (fan, bore):
        comment_create(actor=person, work=work, text=f"From {person.username}.")
        bookmark_create(actor=person, work=work, notes="Good.")
    bookmark_create(actor=reader, work=work)
    mute_add(actor=reader, target=bore)
    work.refresh_from_db()
    return reader, work


def page_counts(reader, url: str) -> dict[str, str]:
    client = Client()
    client.force_login(reader)
    page = parse(client.get(url))
    return {name: page.select_one(f"dl.stats dd.{name}").text for name in ("comments", "bookmarks")}


def stats(summary: dict) -> dict[str, str]:
    return {name: str(summary["stats"][name]) for name in ("comments", "bookmarks")}


def test_a_works_counts_in_the_api_are_those_its_page_shows(scene, api_for):
    reader, work = scene

    shown = page_counts(reader, work.get_absolute_url())
    body = api_for(reader).get(f"/works/{work.pk}").json()

    assert shown == {"comments": "1", "bookmarks": "2"}
    assert stats(body) == shown


def test_works_listed_by_the_api_carry_the_counts_listings_show(scene, api_for):
    reader, work = scene
    api = api_for(reader)

    shown = page_counts(reader, "/works")
    listings = {
        "works": api.get("/works").json()["results"][0],
        "tag": api.get("/tags/Sea/works").json()["results"][0],
        "series": api.get(f"/series/{work.series_entries.get().series_id}").json()["works"][0][
            "work"
        ],
        "bookmarks": api.get("/users/reader/bookmarks").json()["results"][0]["work"],
    }

    assert shown == {"comments": "1", "bookmarks": "2"}
    assert {name: stats(summary) for name, summary in listings.items()} == {
        name: shown for name in listings
    }


def test_the_apis_comment_and_bookmark_lists_count_as_the_pages_do(scene, api_for):
    reader, work = scene
    api = api_for(reader)

    comments = api.get(f"/works/{work.pk}/comments").json()
    bookmarks = api.get(f"/works/{work.pk}/bookmarks").json()

    assert (comments["count"], len(comments["results"])) == (1, 1)
    assert (bookmarks["count"], len(bookmarks["results"])) == (2, 2)
