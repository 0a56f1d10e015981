"""A query that cannot be understood says why: on the results page (400, the form keeping
what was typed) and in the API (400 naming `work_search[query]`), never an empty list."""

import pytest

from polis.search.querylang import FIELD_NAMES, MAX_DEPTH, MAX_TERMS, parse_query
from tests.search.support import error_text
from tests.works.support import parse

pytestmark = pytest.mark.django_db

FIELDS = ", ".join(f"{name}:" for name in FIELD_NAMES)
ERRORS = [
    ("(fluff", "A “(” has no matching “)”."),
    ("fluff)", "A “)” has no matching “(”."),
    ("()", "“()” has nothing inside to search for."),
    ('"slow burn', 'A quotation mark (“"”) is not closed.'),
    ("fluff OR", "“OR” needs something to search for on both sides."),
    ("OR fluff", "“OR” needs something to search for on both sides."),
    ("fluff OR OR angst", "“OR” needs something to search for on both sides."),
    ("AND fluff", "“AND” needs something to search for on both sides."),
    ("fluff -", "“NOT” and “-” need something to leave out right after them."),
    ("fluff NOT", "“NOT” and “-” need something to leave out right after them."),
    ("s*ng", "“s*ng”: a wildcard “*” can only end a word, as in “sing*”."),
    ("*", "“*”: a wildcard “*” can only end a word, as in “sing*”."),
    ("title:", "“title:” needs something to search for after it."),
    ("tag:", "“tag:” needs a tag name after it."),
    (
        "kudos_count:lots",
        "“kudos_count:” use a number, “<1000”, “>5000” or “1000-5000”, not “lots”.",
    ),
    ("word_count:5000-10", "“word_count:” the range 5000-10 runs backwards."),
    ("hits:>9999999999999", "“hits:” >9999999999999 is too large a number."),
    (
        "revised_at:yesterday",
        "“revised_at:” use an age like “<2 weeks” or “>1 year”, a date like “>2024-01-31”,"
        " or two dates “2024-01-01-2024-06-30”, not “yesterday”.",
    ),
    ("created_at:2024-02-30", "“created_at:” “2024-02-30” is not a date."),
    (
        "created_at:2024-06-01-2024-01-01",
        "“created_at:” the range 2024-06-01-2024-01-01 runs backwards.",
    ),
    ("created_at:<0001-01-01", "“created_at:” “<0001-01-01” reaches outside the calendar."),
    ("complete:maybe", "“complete:” use true or false, not “maybe”."),
    ("language:klingon", "“language:” there is no language “klingon”."),
    ("kudos:>5", f"There is no field “kudos:”. Fields are {FIELDS}."),
    ("word_counts:5", f"There is no field “word_counts:”. Fields are {FIELDS}."),
    ("(" * (MAX_DEPTH + 1) + "a" + ")" * (MAX_DEPTH + 1), "Parentheses can nest at most 5 deep."),
    (" ".join(f"w{n}" for n in range(MAX_TERMS + 1)), "Search for at most 50 terms at once."),
    ("a" * 1001, "A search can be at most 1000 characters long."),
]


@pytest.mark.parametrize(("query", "message"), ERRORS, ids=[e[0][:30] for e in ERRORS])
def test_the_page_says_why_and_keeps_the_query(client, query, message):
    response = client.get("/works/search", {"work_search[query]": query})

    assert response.status_code == 400
    assert error_text(response) == f"Search: {message} Clear the filters and try again."
    # Also above the form, where a reader looks first, with a link to the box to mend.
    summary = parse(response).select_one("#search-error-summary")
    assert summary.text == f"Search: {message} Change the search."
    assert summary.select_one("a").get("href") == "#ws_query"
    assert parse(response).select_one("#ws_query").get("value") == query


@pytest.mark.parametrize(("query", "message"), ERRORS, ids=[e[0][:30] for e in ERRORS])
def test_the_api_answers_400_naming_the_query(client, query, message):
    response = client.get("/api/v1/works/search", {"work_search[query]": query})

    assert response.status_code == 400
    assert response.json() == {
        "detail": f"Search: {message}",
        "errors": [{"field": "work_search[query]", "message": f"Search: {message}"}],
    }


def test_restricted_is_only_for_logged_in_readers(client, make_user):
    guest = client.get("/works/search", {"work_search[query]": "restricted:true"})
    api = client.get("/api/v1/works/search", {"work_search[query]": "restricted:true"})
    client.force_login(make_user("member"))
    member = client.get("/works/search", {"work_search[query]": "restricted:true"})

    message = "Search: “restricted:” is only for readers who are logged in."
    assert guest.status_code == api.status_code == 400
    assert error_text(guest) == f"{message} Clear the filters and try again."
    assert api.json()["errors"] == [{"field": "work_search[query]", "message": message}]
    assert member.status_code == 200


def test_a_bad_title_names_the_title(client):
    response = client.get("/api/v1/works/search", {"work_search[title]": "(song"})

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "work_search[title]", "message": "Title: A “(” has no matching “)”."}
    ]


def test_deep_nesting_is_refused_without_recursing_on_it():
    """A hostile query of 400 parentheses is refused at level 6, not by Python's stack."""
    from polis.search.querylang import QueryError

    with pytest.raises(QueryError, match="at most 5 deep"):
        parse_query("(" * 400 + "a" + ")" * 400)
    with pytest.raises(QueryError, match="at most 5 deep"):
        parse_query("-(" * 300 + "a" + ")" * 300)
    # NOT chains are counted in a loop, however long.
    assert parse_query("NOT " * 240 + "a") is not None


def test_text_that_reads_as_words_is_not_an_error():
    """Colons in ordinary words (no such field, no `_`, no `<`/`>`) are just words."""
    tree = parse_query("Re:Zero 12:30")
    assert tree is not None
