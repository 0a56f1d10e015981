"""Collections through the API: create, list, settings, people (the queue and invitations:
test_api_collection_items.py)."""

import pytest

from polis.collections.models import Challenge, Collection, Membership
from tests.api.conftest import ApiClient
from tests.collections.conftest import client_for

pytestmark = pytest.mark.django_db


def snapshot(collection: Collection) -> dict:
    collection.refresh_from_db()
    return {
        field: getattr(collection, field)
        for field in ("title", "description", "closed", "moderated", "anonymous", "parent_id")
    }


# --- create, list, settings -----------------------------------------------------------------


def test_creating_a_collection_makes_the_caller_its_owner(make_user, token_for):
    alice = make_user("alice")
    response = ApiClient(token_for(alice)).post(
        "/collections",
        {
            "name": "ficlets",
            "title": "Ficlets",
            "description": "<p>Short <script>x</script>pieces.</p>",
            "moderated": True,
            "anonymous": True,
        },
    )

    assert response.status_code == 201
    body = response.json()
    assert {k: body[k] for k in ("name", "title", "parent", "description", "closed")} == {
        "name": "ficlets",
        "title": "Ficlets",
        "parent": None,
        "description": "<p>Short pieces.</p>",
        "closed": False,
    }
    assert (body["moderated"], body["anonymous"], body["unrevealed"], body["challenge"]) == (
        True,
        True,
        False,
        None,
    )
    assert body["url"] == "http://testserver/collections/ficlets"
    assert list(Membership.objects.values_list("user__username", "role")) == [("alice", "owner")]


@pytest.mark.parametrize("kind", ["prompt_meme", "gift_exchange"])
def test_a_collection_can_be_created_with_a_challenge(make_user, token_for, kind):
    response = ApiClient(token_for(make_user())).post(
        "/collections", {"name": "fest", "title": "Fest", "challenge": kind}
    )

    assert response.status_code == 201
    assert response.json()["challenge"] == kind
    challenge = Challenge.objects.get()
    assert (challenge.kind, challenge.requests_min, challenge.offers_min) == (
        kind,
        1,
        1 if kind == "gift_exchange" else 0,
    )


def test_a_sub_collection_needs_the_parents_maintainers(make_collection, make_user, token_for):
    owner = make_user("owner")
    make_collection(owner, name="big")
    stranger = ApiClient(token_for(make_user("stranger")))

    refused = stranger.post("/collections", {"name": "small", "title": "Small", "parent": "big"})
    assert refused.status_code == 400
    assert refused.json()["errors"] == [
        {"field": "parent", "message": "Only the parent collection's maintainers can add to it."}
    ]
    assert list(Collection.objects.values_list("name", flat=True)) == ["big"]

    made = ApiClient(token_for(owner)).post(
        "/collections", {"name": "small", "title": "Small", "parent": "big"}
    )
    assert made.status_code == 201
    assert made.json()["parent"] == "big"


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {"name": "two words", "title": "T"},
            [
                {
                    "field": "name",
                    "message": "Use 1–80 letters, digits and underscores (it becomes the URL).",
                }
            ],
        ),
        (
            {"name": "fest", "title": "Taken"},
            [{"field": "name", "message": "The name “fest” is already taken."}],
        ),
        (
            {"name": "new", "title": "   "},
            [{"field": "title", "message": "Give the collection a title."}],
        ),
        (
            {"name": "new", "title": "New", "parent": "nowhere"},
            [{"field": "parent", "message": "There is no collection called “nowhere”."}],
        ),
    ],
)
def test_a_refused_collection_names_the_field_and_nothing_is_made(
    make_collection, make_user, token_for, body, errors
):
    make_collection(name="fest")
    response = ApiClient(token_for(make_user())).post("/collections", body)

    assert response.status_code == 400
    assert response.json()["errors"] == errors
    assert list(Collection.objects.values_list("name", flat=True)) == ["fest"]
    assert Membership.objects.count() == 1


def test_invalid_types_are_422_naming_the_field(make_user, token_for):
    response = ApiClient(token_for(make_user())).post(
        "/collections", {"name": "x", "title": "X", "closed": "yes", "colour": "red"}
    )

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["closed", "colour"]
    assert Collection.objects.count() == 0


def test_creating_needs_a_token():
    response = ApiClient().post("/collections", {"name": "x", "title": "X"})

    assert response.status_code == 401
    assert Collection.objects.count() == 0


def test_the_list_shows_top_level_collections_by_title(
    make_collection, make_user, django_assert_num_queries
):
    owner = make_user()
    make_collection(owner, name="zine", title="Zine")
    make_collection(owner, name="apple", title="Apple Fest")
    big = make_collection(owner, name="big", title="Big")
    make_collection(owner, name="small", title="Small", parent_name=big.name)

    with django_assert_num_queries(2):
        response = ApiClient().get("/collections", per_page=2)

    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["page"], body["per_page"]) == (3, 1, 2)
    assert [c["name"] for c in body["results"]] == ["apple", "big"]
    assert [c["name"] for c in ApiClient().get("/collections", page=2, per_page=2).json()[
        "results"
    ]] == ["zine"]  # fmt: skip


WHO = ["anonymous", "stranger", "member", "moderator", "owner"]


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("stranger", 404), ("member", 404), ("moderator", 200), ("owner", 200)],
)
def test_only_maintainers_change_settings(people, token_for, who, status):
    collection, users = people
    before = snapshot(collection)

    response = client_for(who, users, token_for).patch(
        "/collections/fest", {"title": "Renamed", "closed": True}
    )

    assert response.status_code == status
    if status == 200:
        assert (response.json()["title"], response.json()["closed"]) == ("Renamed", True)
        assert snapshot(collection) == {**before, "title": "Renamed", "closed": True}
    else:
        assert snapshot(collection) == before


def test_patch_changes_only_the_fields_sent(people, token_for):
    collection, users = people
    api = ApiClient(token_for(users["owner"]))
    api.patch("/collections/fest", {"description": "<p>Hello.</p>", "moderated": True})

    response = api.patch("/collections/fest", {"faq": "<p>Ask.</p>"})

    assert response.status_code == 200
    body = response.json()
    assert (body["description"], body["faq"], body["moderated"], body["title"]) == (
        "<p>Hello.</p>",
        "<p>Ask.</p>",
        True,
        "Fest",
    )


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"title": ""}, [{"field": "title", "message": "Give the collection a title."}]),
        ({"title": None}, [{"field": "title", "message": "This field cannot be null."}]),
        (
            {"parent": "fest"},
            [{"field": "parent", "message": "A collection cannot be its own parent."}],
        ),
    ],
)
def test_a_refused_change_names_the_field_and_changes_nothing(people, token_for, body, errors):
    collection, users = people
    before = snapshot(collection)

    response = ApiClient(token_for(users["owner"])).patch("/collections/fest", body)

    assert response.status_code == 400
    assert response.json()["errors"] == errors
    assert snapshot(collection) == before


def test_a_missing_collection_is_404_for_its_settings(make_user, token_for):
    response = ApiClient(token_for(make_user())).patch("/collections/nowhere", {"title": "X"})

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "errors": []}


# --- people -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("stranger", 404), ("member", 404), ("moderator", 200), ("owner", 200)],
)
def test_only_maintainers_see_the_members(people, token_for, who, status):
    _, users = people

    response = client_for(who, users, token_for).get("/collections/fest/members")

    assert response.status_code == status
    if status == 200:
        assert response.json() == [
            {"username": "member", "role": "member"},
            {"username": "moderator", "role": "moderator"},
            {"username": "owner", "role": "owner"},
        ]


def test_an_owner_adds_a_moderator_and_demotes_them(people, make_user, token_for):
    collection, users = people
    make_user("wren")
    api = ApiClient(token_for(users["owner"]))

    added = api.post("/collections/fest/members", {"username": "Wren", "role": "moderator"})
    assert added.status_code == 200
    assert {"username": "wren", "role": "moderator"} in added.json()

    demoted = api.post("/collections/fest/members", {"username": "wren", "role": "member"})
    assert demoted.status_code == 200
    roles = dict(
        Membership.objects.filter(collection=collection).values_list("user__username", "role")
    )
    assert roles == {
        "owner": "owner",
        "moderator": "moderator",
        "member": "member",
        "wren": "member",
    }


def test_a_moderator_adds_members_but_not_moderators(people, make_user, token_for):
    collection, users = people
    make_user("wren")
    api = ApiClient(token_for(users["moderator"]))

    refused = api.post("/collections/fest/members", {"username": "wren", "role": "moderator"})
    assert refused.status_code == 403
    assert refused.json() == {
        "detail": "Only owners can add or change owners and moderators.",
        "errors": [],
    }
    assert not Membership.objects.filter(user__username="wren").exists()

    added = api.post("/collections/fest/members", {"username": "wren", "role": "member"})
    assert added.status_code == 200
    assert Membership.objects.get(user__username="wren").role == "member"


@pytest.mark.parametrize(
    ("body", "status", "errors"),
    [
        (
            {"username": "nobody", "role": "member"},
            400,
            [{"field": "username", "message": "There is no user with that name."}],
        ),
        ({"username": "stranger", "role": "king"}, 422, ["role"]),
    ],
)
def test_bad_member_input_names_the_field(people, token_for, body, status, errors):
    collection, users = people

    response = ApiClient(token_for(users["owner"])).post("/collections/fest/members", body)

    assert response.status_code == status
    got = response.json()["errors"]
    assert (got if status == 400 else [e["field"] for e in got]) == errors
    assert Membership.objects.filter(collection=collection).count() == 3


def test_the_last_owner_cannot_be_removed(people, token_for):
    collection, users = people

    response = ApiClient(token_for(users["owner"])).delete("/collections/fest/members/owner")

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": None, "message": "A collection needs at least one owner."}
    ]
    assert Membership.objects.filter(collection=collection).count() == 3


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("stranger", 404), ("member", 404), ("moderator", 204), ("owner", 204)],
)
def test_maintainers_remove_members(people, make_user, token_for, who, status):
    from polis.collections.actions.collections import membership_set

    collection, users = people
    membership_set(
        actor=users["owner"], collection=collection, user=make_user("wren"), role="member"
    )

    response = client_for(who, users, token_for).delete("/collections/fest/members/wren")

    assert response.status_code == status
    remaining = set(Membership.objects.values_list("user__username", flat=True))
    assert ("wren" in remaining) == (status != 204)


def test_a_moderator_cannot_remove_an_owner_and_anyone_may_leave(people, token_for):
    collection, users = people

    refused = ApiClient(token_for(users["moderator"])).delete("/collections/fest/members/owner")
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Only owners can remove owners."

    left = ApiClient(token_for(users["member"])).delete("/collections/fest/members/member")
    assert left.status_code == 204
    assert set(Membership.objects.values_list("user__username", flat=True)) == {
        "owner",
        "moderator",
    }
