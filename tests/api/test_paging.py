"""Listings of the API page the same way: a page past the end is empty, however far past."""

import pytest

from polis.engagement.bookmarks import bookmark_create
from polis.works.series import series_create

# Found by tests/api/test_fuzz.py: (page - 1) * per_page overflowed the database's integers.
FAR_PAST_THE_END = 13779383236441012224


@pytest.fixture
def listed(alice, bob, make_work):
    work = make_work(alice, title="Listed")
    series_create(actor=alice, title="Listed Series")
    bookmark_create(actor=bob, work=work, notes="Good.")
    return work


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "count"),
    [
        ("/users/alice/series", 1),
        ("/users/bob/bookmarks", 1),
        ("/works/{work_id}/bookmarks", 1),
        ("/history", 0),
        ("/inbox", 0),
        ("/tags?name=listed", 0),
        ("/collections", 0),
        ("/tag_sets", 0),
        ("/users/alice/gifts", 0),
    ],
)
@pytest.mark.parametrize("page", [2, FAR_PAST_THE_END])
def test_a_page_past_the_end_is_empty(api_as, alice, listed, path, count, page):
    path, _, query = path.format(work_id=listed.pk).partition("?")
    extra = dict([query.split("=")]) if query else {}
    response = api_as(alice).get(path, page=page, per_page=100, **extra)

    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["page"], body["per_page"], body["results"]) == (
        count,
        page,
        100,
        [],
    )


@pytest.mark.django_db
def test_the_first_page_still_lists(api_as, alice, listed):
    response = api_as(alice).get("/users/alice/series", page=1, per_page=100)

    assert [series["title"] for series in response.json()["results"]] == ["Listed Series"]
