"""Finding tag names: the autocomplete JSON endpoint and the plain /tags/search page."""

import pytest

from polis.tags.models import TagType
from polis.tags.wrangling import tag_add_parent, tag_make_synonym
from tests.works.support import parse

pytestmark = pytest.mark.django_db

URL = "/autocomplete/tags"


@pytest.fixture
def names(wrangler, canonical, tag_of, make_work):
    """Fandoms and characters whose names start with or contain "cla".

    The unwrangled ones are on a posted work: a tag nobody wrangled is shown only when a
    work the viewer may see carries it (tests/tags/test_hidden_tags.py)."""
    make_work(fandoms=["Clarke's World", "The Clan", "Clash Royale"], characters=["Claudia"])
    for name in ["Classic Who", "Eclair Tales", "Claymore"]:
        canonical(name, TagType.FANDOM)
    tv = canonical("The 100 (TV)", TagType.FANDOM)
    clarke = canonical("Clarke Griffin", TagType.CHARACTER)
    tag_add_parent(actor=wrangler, child=clarke, parent=tv)
    tag_make_synonym(actor=wrangler, tag=tag_of("Clarkey", TagType.CHARACTER), of=clarke)
    canonical("Clara Oswald", TagType.CHARACTER)


def names_of(response) -> list[str]:
    return [item["name"] for item in response.json()]


def test_canonical_tags_come_first_then_prefix_matches(client, names):
    response = client.get(URL, {"type": "fandom", "term": "cla"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == [
        {"name": "Classic Who", "type": "fandom", "canonical": True},
        {"name": "Claymore", "type": "fandom", "canonical": True},
        {"name": "Eclair Tales", "type": "fandom", "canonical": True},
        {"name": "Clarke's World", "type": "fandom", "canonical": False},
        {"name": "Clash Royale", "type": "fandom", "canonical": False},
        {"name": "The Clan", "type": "fandom", "canonical": False},
    ]


def test_matching_ignores_case_and_extra_spaces(client, names):
    assert names_of(client.get(URL, {"type": "fandom", "term": "  CLAYM "})) == ["Claymore"]


def test_without_a_type_every_type_is_searched(client, names):
    assert names_of(client.get(URL, {"term": "clar"})) == [
        "Clara Oswald",
        "Clarke Griffin",
        "Clarke's World",
        "Clarkey",
    ]


def test_a_fandom_narrows_characters_to_its_children_and_their_synonyms(client, names):
    response = client.get(URL, {"type": "character", "term": "cla", "fandom": "the 100 (tv)"})

    assert names_of(response) == ["Clarke Griffin", "Clarkey"]


def test_an_unknown_fandom_does_not_narrow(client, names):
    response = client.get(URL, {"type": "character", "term": "cla", "fandom": "No Such"})

    assert names_of(response) == ["Clara Oswald", "Clarke Griffin", "Clarkey", "Claudia"]


def test_at_most_fifteen_suggestions(client, make_work):
    make_work(freeforms=[f"Tag {number:02}" for number in range(20)])

    response = client.get(URL, {"type": "freeform", "term": "tag"})

    assert names_of(response) == [f"Tag {number:02}" for number in range(15)]


@pytest.mark.parametrize("params", [{}, {"term": ""}, {"term": "   "}, {"term": "zzz"}])
def test_nothing_to_suggest_is_an_empty_list(client, names, params):
    response = client.get(URL, params)

    assert response.status_code == 200
    assert response.json() == []


def test_an_unknown_type_is_a_bad_request(client, names):
    response = client.get(URL, {"type": "colour", "term": "cla"})

    assert response.status_code == 400
    assert response.json() == {"detail": "Unknown tag type “colour”."}


def test_autocomplete_is_rate_limited(client, settings, names):
    settings.POLIS_AUTOCOMPLETE_RATE = "3/m"

    codes = [client.get(URL, {"term": "cla"}).status_code for _ in range(4)]

    assert codes == [200, 200, 200, 429]
    limited = client.get(URL, {"term": "cla"})
    assert int(limited["Retry-After"]) >= 1
    assert limited.json() == {"detail": "Too many requests; try again shortly."}


def test_autocomplete_runs_a_fixed_number_of_queries(client, names, django_assert_num_queries):
    # One query per group (canonical/other × prefix/contains) that is still missing tags.
    with django_assert_num_queries(4):
        client.get(URL, {"type": "fandom", "term": "cla"})


# --- the page for readers without JavaScript -------------------------------------------------


def test_the_search_page_lists_matching_tags_with_links(client, names):
    response = client.get("/tags/search", {"name": "clar"})

    page = parse(response)
    assert response.status_code == 200
    assert page.texts("ol.tag.index li") == [
        "Clara Oswald (Character, canonical) 0 works",
        "Clarke Griffin (Character, canonical) 0 works",
        "Clarke's World (Fandom, unwrangled) 1 work",
        "Clarkey (Character, synonym of Clarke Griffin) 0 works",
    ]
    assert page.select("ol.tag.index li a.tag")[0].get("href") == "/tags/Clara%20Oswald"
    assert page.select_one("h3#tag-results-heading").text == "4 Found"
    assert page.select_one("input#tag_search_name").get("value") == "clar"


def test_the_search_page_filters_by_type(client, names):
    page = parse(client.get("/tags/search", {"name": "cla", "type": "fandom"}))

    assert page.texts("ol.tag.index li a.tag") == [
        "Classic Who",
        "Claymore",
        "Eclair Tales",
        "Clarke's World",
        "Clash Royale",
        "The Clan",
    ]
    assert page.select_one("select#tag_search_type option[selected]").get("value") == "fandom"


def test_the_search_page_without_a_name_shows_only_the_form(client, names):
    page = parse(client.get("/tags/search"))

    assert page.select("ol.tag.index") == []
    assert page.select_one("label[for=tag_search_name]").text == "Tag name"
    assert page.select_one("form#tag-search").get("method") == "get"


def test_the_search_page_says_when_nothing_matches(client, names):
    page = parse(client.get("/tags/search", {"name": "zzz"}))

    assert page.texts("ol.tag.index li") == ["No tags found."]
    assert page.select_one("h3#tag-results-heading").text == "0 Found"


def test_the_search_page_is_paged(client, make_work):
    make_work(freeforms=[f"Tag {number:02}" for number in range(55)])

    first = parse(client.get("/tags/search", {"name": "tag"}))
    second = parse(client.get("/tags/search", {"name": "tag", "page": 2}))

    assert len(first.select("ol.tag.index li")) == 50
    assert second.texts("ol.tag.index li a.tag") == [f"Tag {n}" for n in range(50, 55)]
    assert first.select_one("li.next a").get("href") == "?name=tag&page=2"
