"""A user's Collections tab (/users/<username>/collections and its API twin): the collections
they own, as each collection's page names its owners; to themselves, every one they
maintain or belong to; never one staff hid, save to its maintainers and staff."""

import pytest
from django.test import Client

from polis.api.actions import token_create
from polis.collections.actions.collections import collection_set_hidden, membership_set
from tests.api.conftest import ApiClient
from tests.works.support import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def fests(make_collection, make_user):
    ann, other = make_user("ann"), make_user("other")
    chief = make_user("chief", is_staff=True)
    make_collection(ann, name="zine", title="Zine Fest")
    make_collection(ann, name="bigbang", title="Big Bang")
    gone = make_collection(ann, name="gone", title="Gone Fest")
    collection_set_hidden(actor=chief, collection=gone, hidden=True)
    modded = make_collection(other, name="swap", title="Swap")
    membership_set(actor=other, collection=modded, user=ann, role="moderator")
    member_of = make_collection(other, name="club", title="Club")
    membership_set(actor=other, collection=member_of, user=ann, role="member")
    make_collection(other, name="elsewhere", title="Elsewhere")
    return {"ann": ann, "other": other, "chief": chief}


def titles(fests, who=None) -> list[str]:
    client = Client()
    if who:
        client.force_login(fests[who])
    response = client.get("/users/ann/collections")
    assert response.status_code == 200
    page = parse(response)
    assert page.select_one("h1").text == "Collections by ann"
    return [li.select_one("h4 a").text for li in page.select("li.collection")]


def test_others_see_the_collections_a_user_owns_and_not_hidden_ones(fests):
    assert titles(fests) == ["Big Bang", "Zine Fest"]
    assert titles(fests, "other") == ["Big Bang", "Zine Fest"]
    assert titles(fests, "chief") == ["Big Bang", "Gone Fest", "Zine Fest"]


def test_the_user_sees_every_collection_they_maintain_or_belong_to(fests):
    assert titles(fests, "ann") == ["Big Bang", "Club", "Gone Fest", "Swap", "Zine Fest"]


def test_an_unknown_user_is_404():
    assert Client().get("/users/nobody/collections").status_code == 404


def test_the_api_lists_the_same(fests):
    guest = ApiClient().get("/users/ann/collections")
    assert guest.status_code == 200
    assert [c["name"] for c in guest.json()] == ["bigbang", "zine"]
    assert guest.json()[0]["url"] == "http://testserver/collections/bigbang"
    own = ApiClient(token_create(actor=fests["ann"], name="t")[1]).get("/users/ann/collections")
    assert [c["name"] for c in own.json()] == ["bigbang", "club", "gone", "swap", "zine"]
    assert ApiClient().get("/users/nobody/collections").status_code == 404
