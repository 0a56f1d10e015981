"""Tags and users through the API: escaped tag names, synonyms, profiles, /me."""

import pytest

from polis.accounts.actions import pseud_create
from polis.tags.models import Tag
from polis.tags.wrangling import tag_make_synonym, tag_set_canonical
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def clexa(alice, make_user, make_work) -> Tag:
    """A canonical relationship with a synonym, wrangled through the real actions."""
    make_work(alice, relationships=["Clarke Griffin/Lexa", "Clexa"])
    wrangler = make_user("wrangler", is_tag_wrangler=True)
    canonical = tag_set_canonical(
        actor=wrangler, tag=Tag.objects.get(name="Clarke Griffin/Lexa"), canonical=True
    )
    tag_make_synonym(actor=wrangler, tag=Tag.objects.get(name="Clexa"), of=canonical)
    return canonical


def test_tag_by_escaped_name_lists_its_synonyms(clexa):
    response = ApiClient().get("/tags/Clarke Griffin*s*Lexa")

    assert response.status_code == 200
    assert response.json() == {
        "name": "Clarke Griffin/Lexa",
        "type": "relationship",
        "canonical": True,
        "synonym_of": None,
        "synonyms": ["Clexa"],
        "parents": [],
        "children": [],
        "meta_tags": [],
        "sub_tags": [],
        "url": "http://testserver/tags/Clarke%20Griffin*s*Lexa",
        "works_url": "http://testserver/tags/Clarke%20Griffin*s*Lexa/works",
    }


def test_synonym_names_its_canonical_tag(clexa):
    data = ApiClient().get("/tags/clexa").json()

    assert (data["name"], data["canonical"], data["synonym_of"]) == ("Clexa", False, clexa.name)


def test_unknown_tag_is_404():
    assert ApiClient().get("/tags/Nothing Here").status_code == 404


@pytest.mark.both_search_engines
def test_tag_works_are_paginated_and_follow_visibility(alice, make_work, clexa):
    make_work(alice, relationships=["Clexa"], restricted=True)
    make_work(alice, relationships=["Clexa"], post=False)

    anonymous = ApiClient().get("/tags/Clarke Griffin*s*Lexa/works", per_page=1).json()

    assert (anonymous["count"], anonymous["per_page"], len(anonymous["results"])) == (1, 1, 1)


def test_user_shows_pseuds(alice):
    pseud_create(actor=alice, name="Heda")

    response = ApiClient().get("/users/ALICE")

    assert response.status_code == 200
    assert response.json() == {
        "id": alice.pk,
        "username": "alice",
        "joined": alice.date_joined.date().isoformat(),
        "pseuds": [
            {"name": "alice", "default": True, "url": "http://testserver/users/alice/pseuds/alice"},
            {"name": "Heda", "default": False, "url": "http://testserver/users/alice/pseuds/Heda"},
        ],
        "url": "http://testserver/users/alice",
    }


def test_unknown_user_is_404():
    assert ApiClient().get("/users/nobody").status_code == 404


@pytest.mark.parametrize(("who", "count"), [("anonymous", 1), ("other user", 2), ("creator", 2)])
def test_user_works_show_only_what_the_caller_may_see(who, count, alice, bob, make_work, api_as):
    make_work(alice)
    make_work(alice, restricted=True)
    make_work(alice, post=False)
    caller = {"anonymous": ApiClient(), "other user": api_as(bob), "creator": api_as(alice)}[who]

    assert caller.get("/users/alice/works").json()["count"] == count


def test_me_with_a_token(alice, api_as):
    response = api_as(alice).get("/me")

    assert response.status_code == 200
    assert response.json()["username"] == "alice"


def test_me_with_a_session(alice, client):
    client.force_login(alice)

    assert client.get("/api/v1/me").json()["username"] == "alice"


def test_me_without_credentials_is_401():
    response = ApiClient().get("/me")

    assert response.status_code == 401
    assert response.json()["errors"] == []
