"""Bad input on listings and search: a notice or a 400 page that says why, never a 500."""

import pytest
from django.test import Client

from polis.core.storable import UNSTORABLE
from tests.search.conftest import tag
from tests.search.support import error_text, notices
from tests.works.support import listed_work_ids, main_heading

pytestmark = pytest.mark.django_db

PAGES = ["/works", "/works/search", "/tags/Fluff/works", "/users/writer/works"]


@pytest.fixture
def works(make_user, make_work, canonical):
    writer = make_user("writer")
    made = [make_work(writer, title=f"Work {n}", freeforms=["Fluff"]) for n in range(3)]
    canonical("Fluff")
    return made


@pytest.fixture
def client():
    # Errors must come back as pages, not as exceptions raised into the test.
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"work_search[word_count]": "5000-10"},
            "Word count: the range 5000-10 runs backwards.",
        ),
        (
            {"work_search[word_count]": "abc"},
            "Word count: use a number, “<1000”, “>5000” or “1000-5000”, not “abc”.",
        ),
        (
            {"work_search[kudos_count]": "10-"},
            "Kudos count: use a number, “<1000”, “>5000” or “1000-5000”, not “10-”.",
        ),
        (
            {"work_search[word_count]": ">" + "9" * 20},
            "Word count: use a number, “<1000”, “>5000” or “1000-5000”, not “>" + "9" * 20 + "”.",
        ),
        (
            {"work_search[words_from]": "900", "work_search[words_to]": "10"},
            "Word count: “from” is larger than “to”.",
        ),  # fmt: skip
        ({"include_work_search[fandom_ids][]": "abc"}, "Tag ids must be numbers."),
        ({"exclude_work_search[freeform_ids][]": "1;DROP"}, "Tag ids must be numbers."),
        ({"include_work_search[rating_ids][]": "²"}, "Tag ids must be numbers."),
        ({"include_work_search[fandom_ids][]": "-1"}, "Tag ids must be numbers."),
        (
            {"include_work_search[freeform_ids][]": [str(n) for n in range(1, 501)]},
            "Filter on at most 100 tags to include and 100 to exclude.",
        ),
        (
            {"work_search[other_tag_names]": ", ".join(f"Tag {n}" for n in range(500))},
            "Filter on at most 100 tags to include and 100 to exclude.",
        ),
        (
            {"work_search[revised_at]": "yesterday"},
            "Date updated: use e.g. “< 2 weeks”, “> 1 year” or “1-2 months”, not “yesterday”.",
        ),
        (
            {"work_search[date_from]": "2024-13-01"},
            "Date updated from: use a date like 2024-12-31, not “2024-13-01”.",
        ),
        (
            {"work_search[date_from]": "2024-05-02", "work_search[date_to]": "2024-05-01"},
            "Date updated: “from” is later than “to”.",
        ),
    ],
)
def test_unanswerable_parameters_give_a_400_page_that_says_why(
    client, works, path, params, message
):
    response = client.get(path, params)

    assert response.status_code == 400
    assert error_text(response) == f"{message} Clear the filters and try again."
    assert listed_work_ids(response) == []


@pytest.mark.parametrize(
    "params",
    [
        {"work_search[query]": "a\x00b"},
        {"work_search[title]": "\x00"},
        {"work_search[creators]": "writer\x00"},
        {"work_search[other_tag_names]": "Fl\x00uff"},
        {"work_search[language_id]": "e\x00n"},
        {"work_search[sort_column]": "\x00"},
        {"work_search[query]": '"' * 999},
        {"work_search[query]": 'OR OR - -- "" \' NEAR( * ^ :'},
        {"work_search[query]": "title: body : {a b} NOT AND"},
        {"work_search[query]": " ".join(f"w{n}" for n in range(2000))},
        {"work_search[query]": " OR ".join(f"w{n}" for n in range(500))},
        {"work_search[creators]": ",".join(["x"] * 3000)},
        {"work_search[revised_at]": "< 99999 years"},
        {"work_search[revised_at]": "> 99999 years"},
        {"work_search[date_to]": "9999-12-31"},
        {"work_search[date_from]": "0001-01-01"},
        {"work_search[word_count]": ">999999999999"},
        {"work_search[hits]": "999999999999"},
        {"include_work_search[fandom_ids][]": "999999999999"},
        {"work_search[language_id]": "x" * 500},
        {"work_search[sort_column]": "id; DROP TABLE works_work"},
        {"work_search[sort_direction]": "sideways"},
        {"work_search[complete]": "maybe"},
        {"work_search[query][]": "list"},
        {"page": "abc"},
        {"page": "²"},
        {"page": "-3"},
        {"page": "0"},
        {"page": "1e9"},
        {"page": "999999"},
        {"page": "9" * 50},
    ],
)
@pytest.mark.parametrize("path", ["/works/search", "/tags/Fluff/works"])
@pytest.mark.both_search_engines
def test_odd_parameters_never_give_a_server_error(client, works, path, params):
    response = client.get(path, params)

    assert response.status_code in {200, 400}, response.status_code
    if response.status_code == 400 and any("\x00" in value for value in params.values()):
        # Refused for every page before the search reads it (polis/core/storable.py).
        [(name, _)] = params.items()
        assert error_text(response) == f"{UNSTORABLE} Remove it from “{name}” and try again."
    elif response.status_code == 400:
        assert error_text(response).endswith("Clear the filters and try again.")


@pytest.mark.parametrize("page", ["abc", "²", "-3", "0", "1e9", "", "9" * 50])
@pytest.mark.both_search_engines
def test_a_page_number_that_is_not_a_number_shows_the_first_page(client, works, page):
    response = client.get("/tags/Fluff/works", {"page": page})

    assert response.status_code == 200
    assert listed_work_ids(response) == [work.pk for work in reversed(works)]
    assert main_heading(response) == "1 - 3 of 3 Works in Fluff"


@pytest.mark.parametrize("page", ["2", "5001", "999999", "9" * 18])
@pytest.mark.both_search_engines
def test_a_page_past_the_end_is_empty_and_names_the_last_page(client, works, page):
    response = client.get("/tags/Fluff/works", {"page": page})

    assert response.status_code == 200
    assert listed_work_ids(response) == []
    assert main_heading(response) == "3 Works in Fluff"
    assert f"There is no page {page}; the last page is 1." in response.content.decode()


@pytest.mark.both_search_engines
def test_unknown_tag_ids_are_ignored_with_a_notice(client, works):
    response = client.get(
        "/works",
        {"include_work_search[fandom_ids][]": ["999999", str(tag("Fluff").pk)]},
    )

    assert response.status_code == 200
    assert listed_work_ids(response) == [work.pk for work in reversed(works)]
    assert notices(response) == ["Some of the selected tags no longer exist and were ignored."]


@pytest.mark.both_search_engines
def test_an_unknown_sort_is_ignored_with_a_notice(client, works):
    response = client.get("/works", {"work_search[sort_column]": "popularity"})

    assert response.status_code == 200
    assert listed_work_ids(response) == [work.pk for work in reversed(works)]
    assert notices(response) == ["Unknown sort “popularity”; sorted by date updated."]


@pytest.mark.both_search_engines
def test_absurd_ages_are_clamped_not_errors(client, works):
    everything = client.get("/works/search", {"work_search[revised_at]": "< 99999 years"})
    nothing = client.get("/works/search", {"work_search[revised_at]": "> 99999 years"})

    assert len(listed_work_ids(everything)) == 3
    assert listed_work_ids(nothing) == []


def test_the_400_page_keeps_the_sidebar_and_a_way_out(client, works):
    response = client.get("/tags/Fluff/works", {"work_search[word_count]": "5000-10"})
    page = response.content.decode()

    assert response.status_code == 400
    assert main_heading(response) == "Works in Fluff"
    assert '<form method="get" action="" id="work-filters"' in page
    assert '<a href="?">Clear the filters</a>' in page
