"""Tag search (/tags/search and GET /api/v1/tags/search): name, type, canonical, fandom, and
each tag's count of the works the viewer may see listed."""

import pytest
from django.test import Client

from polis.api.actions import token_create
from polis.tags.actions import tags_find_or_create
from polis.tags.models import TagType
from polis.tags.wrangling import tag_add_parent
from polis.works.actions import work_set_hidden
from tests.api.conftest import ApiClient
from tests.search.conftest import tag
from tests.works.support import parse

pytestmark = pytest.mark.django_db
PAGE_QUERIES, API_QUERIES = 4, 5

FANDOM = "The 100 (TV)"


@pytest.fixture
def tagged(make_user, make_work, wrangler, canonical, synonym):
    chief = make_user("chief", is_staff=True, is_superuser=True)
    writer = make_user("writer")
    make_work(
        writer, title="Open", fandoms=[FANDOM], characters=["Clarkey"], freeforms=["Slow Burn"]
    )
    make_work(
        writer, title="Members", restricted=True, fandoms=[FANDOM],
        characters=["Clarke Griffin"], freeforms=["Members Only Tag"],
    )  # fmt: skip
    make_work(writer, title="Draft", post=False, fandoms=[FANDOM], freeforms=["Drafty Tag"])
    hidden = make_work(writer, title="Hidden", fandoms=[FANDOM], characters=["Clarke Griffin"])
    work_set_hidden(actor=chief, work=hidden, hidden=True)
    tags_find_or_create(names=["Doctor Who"], tag_type=TagType.FANDOM)
    tags_find_or_create(names=["Clara Oswald"], tag_type=TagType.CHARACTER)
    canonical(FANDOM, "Clarke Griffin", "Doctor Who", "Clara Oswald")
    synonym("Clarkey", of="Clarke Griffin")
    tag_add_parent(actor=wrangler, child=tag("Clarke Griffin"), parent=tag(FANDOM))
    tag_add_parent(actor=wrangler, child=tag("Clara Oswald"), parent=tag("Doctor Who"))
    return {"writer": writer, "chief": chief, "reader": make_user("reader")}


def found(users, who=None, **params) -> list[str]:
    """Each tag the page lists, with its works count."""
    client = Client()
    if who:
        client.force_login(users[who])
    response = client.get("/tags/search", params)
    assert response.status_code == 200
    page = parse(response)
    items = [item for item in page.select("ol.tag.index li") if item.select("a.tag")]
    return [
        f"{item.select('a.tag')[0].text}: {item.select_one('span.count').text}" for item in items
    ]


def api(users, who=None, **params):
    token = token_create(actor=users[who], name="t")[1] if who else None
    return ApiClient(token).get("/tags/search", **params)


def test_a_name_matches_any_part_of_a_tag_canonical_tags_first(tagged):
    assert found(tagged, **{"tag_search[name]": "CLAR"}) == [
        "Clara Oswald: 0 works",
        "Clarke Griffin: 1 work",
        "Clarkey: 1 work",
    ]
    assert found(tagged, **{"tag_search[name]": "oswald"}) == ["Clara Oswald: 0 works"]


def test_a_trailing_star_matches_the_start_of_names_only(tagged):
    assert found(tagged, **{"tag_search[name]": "oswald*"}) == []
    assert found(tagged, **{"tag_search[name]": "clarke*"}) == [
        "Clarke Griffin: 1 work",
        "Clarkey: 1 work",
    ]


def test_type_and_canonical_filters(tagged):
    name = {"tag_search[name]": "cla"}
    assert found(tagged, **name, **{"tag_search[canonical]": "T"}) == [
        "Clara Oswald: 0 works",
        "Clarke Griffin: 1 work",
    ]
    assert found(tagged, **name, **{"tag_search[canonical]": "F"}) == ["Clarkey: 1 work"]
    assert found(tagged, **{"tag_search[type]": "fandom"}) == [
        "Doctor Who: 0 works",
        "The 100 (TV): 1 work",
    ]


def test_a_fandom_finds_its_children_their_synonyms_and_tags_used_on_its_works(tagged):
    params = {"tag_search[fandoms]": FANDOM}
    assert found(tagged, **params) == [
        "Clarke Griffin: 1 work",
        "Clarkey: 1 work",
        "Slow Burn: 1 work",
    ]
    # A logged-in reader sees the restricted work: its tag, and its count.
    assert found(tagged, "reader", **params) == [
        "Clarke Griffin: 2 works",
        "Clarkey: 1 work",
        "Members Only Tag: 1 work",
        "Slow Burn: 1 work",
    ]
    both = {"tag_search[fandoms]": f"{FANDOM}, Doctor Who", "tag_search[type]": "character"}
    assert found(tagged, **both) == [
        "Clara Oswald: 0 works",
        "Clarke Griffin: 1 work",
        "Clarkey: 1 work",
    ]


def test_drafts_and_hidden_works_are_never_counted_nor_their_tags_found(tagged):
    # Staff see the hidden work and its creator the draft, but counts are of listed works.
    for who in ["writer", "chief"]:
        assert found(tagged, who, **{"tag_search[name]": "clarke griffin"}) == [
            "Clarke Griffin: 2 works"
        ], who
    assert found(tagged, "writer", **{"tag_search[name]": "drafty"}) == []
    assert api(tagged, **{"tag_search[name]": "members only"}).json()["count"] == 0


def test_an_unknown_fandom_finds_nothing_and_says_so(tagged):
    body = api(tagged, **{"tag_search[fandoms]": "Nowhere"}).json()

    assert (body["count"], body["notices"]) == (0, ["No fandom is named “Nowhere”."])


def test_the_api_answers_as_the_page(tagged):
    body = api(tagged, "reader", **{"tag_search[name]": "clarke"}).json()

    assert body["count"] == 2
    assert [
        (t["name"], t["type"], t["canonical"], t["synonym_of"], t["synonyms"], t["work_count"])
        for t in body["results"]
    ] == [
        ("Clarke Griffin", "character", True, None, ["Clarkey"], 2),
        ("Clarkey", "character", False, "Clarke Griffin", [], 1),
    ]
    canonical_only = api(tagged, **{"tag_search[name]": "clarke", "tag_search[canonical]": "true"})
    assert [t["name"] for t in canonical_only.json()["results"]] == ["Clarke Griffin"]


def test_the_older_name_and_type_parameters_still_work(tagged):
    assert found(tagged, **{"name": "clarke", "type": "character"}) == [
        "Clarke Griffin: 1 work",
        "Clarkey: 1 work",
    ]


def test_results_are_paginated(make_work):
    make_work(freeforms=[f"Tag {number:02}" for number in range(55)])
    client = Client()

    second = parse(client.get("/tags/search", {"tag_search[name]": "tag", "page": 2}))
    assert [a.text for a in second.select("ol.tag.index li a.tag")] == [
        f"Tag {n}" for n in range(50, 55)
    ]
    assert second.select_one("li.previous a").get("href") == "?tag_search%5Bname%5D=tag&page=1"
    body = ApiClient().get("/tags/search", **{"tag_search[name]": "tag", "per_page": 50, "page": 2})
    assert (body.json()["count"], len(body.json()["results"])) == (55, 5)


def test_the_page_is_labelled_and_works_without_javascript(tagged):
    page = parse(Client().get("/tags/search"))

    assert page.select_one("main h1").text == "Search Tags"
    assert page.select_one("form#tag-search").get("method") == "get"
    for control in page.select("main form input") + page.select("main form select"):
        assert len(page.select(f"label[for={control.get('id')}]")) == 1, control
    assert page.select("ol.tag.index") == []


def test_the_page_asks_a_fixed_number_of_queries(tagged, django_assert_num_queries):
    client = Client()
    client.get("/tags/search", {"tag_search[name]": "cla"})
    with django_assert_num_queries(PAGE_QUERIES):
        client.get("/tags/search", {"tag_search[name]": "cla"})
    with django_assert_num_queries(API_QUERIES):
        ApiClient().get("/tags/search", **{"tag_search[name]": "cla"})
