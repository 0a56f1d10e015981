"""People search (/people/search and GET /api/v1/people/search): pseuds by name and by the
fandoms they wrote in, counting only works the viewer may see with their creators named."""

import pytest
from django.test import Client

from polis.api.actions import token_create
from polis.works.actions import (
    ChapterInput,
    Concealment,
    WorkInput,
    work_conceal,
    work_create,
    work_set_hidden,
)
from tests.api.conftest import ApiClient
from tests.works.support import parse

pytestmark = pytest.mark.django_db
PAGE_QUERIES, API_QUERIES = 3, 2

FANDOM = "The 100 (TV)"


def write(user, *, pseud=None, fandoms=(FANDOM,), post=True, **fields):
    return work_create(
        actor=user,
        pseuds=[pseud or user.pseuds.get(is_default=True)],
        data=WorkInput(
            title=fields.pop("title", "A Work"),
            rating="General Audiences",
            warnings=["No Archive Warnings Apply"],
            fandoms=list(fandoms),
            **fields,
        ),
        chapter=ChapterInput(text="<p>Words.</p>"),
        post=post,
    )


@pytest.fixture
def people(make_user, canonical, synonym):
    chief = make_user("chief", is_staff=True, is_superuser=True)
    users = {name: make_user(name) for name in ["alice", "bob", "carol", "dave", "erin", "frank"]}
    users["gina"], users["hank"] = make_user("gina"), make_user("hank")
    nightingale = users["alice"].pseuds.create(name="Nightingale")
    write(users["alice"], pseud=nightingale)
    write(users["bob"], restricted=True)
    masked = write(users["carol"])
    write(users["carol"], fandoms=["Original Work"])
    write(users["dave"], post=False)
    work_set_hidden(actor=chief, work=write(users["erin"]), hidden=True)
    veiled = write(users["frank"])
    write(users["gina"], fandoms=["T100"])
    write(users["hank"], fandoms=["Tiny Fandom"])
    canonical(FANDOM, "Original Work")
    synonym("T100", of=FANDOM)
    work_conceal(
        states={
            masked.pk: Concealment(anonymous=True),
            veiled.pk: Concealment(unrevealed=True, steward_ids=frozenset({chief.pk})),
        }
    )
    ghost = make_user("nightghost", is_active=False)
    write(ghost)
    users["chief"] = chief
    return users


def found(users, who=None, **params) -> list[str]:
    client = Client()
    if who:
        client.force_login(users[who])
    response = client.get("/people/search", params)
    assert response.status_code == 200
    page = parse(response)
    return [
        f"{name} {works}"
        for name, works in zip(
            page.texts("ol.pseud.index li h4 a"),
            page.texts("ol.pseud.index li p.works a"),
            strict=True,
        )
    ]


def api(users, who=None, **params):
    token = token_create(actor=users[who], name="t")[1] if who else None
    return ApiClient(token).get("/people/search", **params)


def test_a_fandom_finds_only_creators_of_works_the_viewer_may_see_named(people):
    # carol's work there is anonymous, dave's a draft, erin's hidden, frank's unrevealed.
    guest = ["gina 1 work", "Nightingale (alice) 1 work"]
    assert found(people, **{"people_search[fandom]": FANDOM}) == guest
    member = ["bob 1 work", "gina 1 work", "Nightingale (alice) 1 work"]
    for who in ["bob", "carol", "dave", "erin", "frank", "chief"]:
        assert found(people, who, **{"people_search[fandom]": FANDOM}) == member, who


def test_a_synonym_finds_its_canonical_fandom_and_an_unwrangled_one_its_own_works(people):
    assert found(people, **{"people_search[fandom]": "t100"}) == [
        "gina 1 work",
        "Nightingale (alice) 1 work",
    ]
    assert found(people, **{"people_search[fandom]": "Tiny Fandom"}) == ["hank 1 work"]


def test_names_match_pseuds_and_users_in_part_and_any_case(people):
    assert found(people, **{"people_search[name]": "NIGHT"}) == ["Nightingale (alice) 1 work"]
    # The default pseud has no works of its own; inactive accounts are never found.
    assert found(people, **{"people_search[name]": "ali"}) == [
        "alice 0 works",
        "Nightingale (alice) 1 work",
    ]


def test_anonymous_works_are_never_counted_for_their_creators(people):
    assert found(people, **{"people_search[name]": "carol"}) == ["carol 1 work"]
    assert found(people, **{"people_search[name]": "carol", "people_search[fandom]": FANDOM}) == []


def test_name_and_fandom_together(people):
    params = {"people_search[name]": "a", "people_search[fandom]": FANDOM}
    assert found(people, **params) == ["gina 1 work", "Nightingale (alice) 1 work"]


def test_an_unknown_fandom_finds_nobody_and_says_so(people):
    body = api(people, **{"people_search[fandom]": "Nowhere"}).json()

    assert (body["count"], body["notices"]) == (0, ["No fandom is named “Nowhere”."])


def test_the_api_answers_as_the_page(people):
    body = api(people, "bob", **{"people_search[fandom]": FANDOM}).json()

    assert body["count"] == 3
    assert [(r["pseud"], r["username"], r["work_count"]) for r in body["results"]] == [
        ("bob", "bob", 1),
        ("gina", "gina", 1),
        ("Nightingale", "alice", 1),
    ]
    assert body["results"][2]["url"] == "http://testserver/users/alice/pseuds/Nightingale"
    assert body["results"][2]["works_url"].endswith("/users/alice/pseuds/Nightingale/works")


def test_the_api_needs_a_name_or_a_fandom(people):
    response = api(people)

    assert response.status_code == 400
    assert response.json()["detail"] == "Give people_search[name] or people_search[fandom]."


def test_results_are_paginated(make_user):
    for number in range(23):
        make_user(f"reader{number:02}")
    client = Client()

    first = parse(client.get("/people/search", {"people_search[name]": "reader"}))
    second = parse(client.get("/people/search", {"people_search[name]": "reader", "page": 2}))
    assert len(first.select("ol.pseud.index li")) == 20
    assert second.texts("ol.pseud.index li h4 a") == ["reader20", "reader21", "reader22"]
    assert first.select_one("#people-results-heading").text == "23 Found"
    assert first.select_one("li.next a").get("href") == "?people_search%5Bname%5D=reader&page=2"
    body = ApiClient().get("/people/search", **{"people_search[name]": "reader", "page": 3})
    assert (body.json()["count"], body.json()["results"]) == (23, [])


def test_the_page_is_labelled_and_works_without_javascript(people):
    page = parse(Client().get("/people/search"))

    assert page.select_one("main h1").text == "Search People"
    assert page.select_one("form#people-search").get("method") == "get"
    for control in page.select("main form input"):
        assert len(page.select(f"label[for={control.get('id')}]")) == 1, control
    assert page.select("ol.pseud.index") == []


def test_the_page_asks_a_fixed_number_of_queries(people, django_assert_num_queries):
    client = Client()
    client.get("/people/search", {"people_search[fandom]": FANDOM})
    with django_assert_num_queries(PAGE_QUERIES):
        client.get("/people/search", {"people_search[fandom]": FANDOM})
    with django_assert_num_queries(API_QUERIES):
        ApiClient().get("/people/search", **{"people_search[name]": "a"})
