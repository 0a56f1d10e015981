"""Collections through the API: create, list, settings, people, moderation, invitations."""

import pytest

from polis.collections.actions.items import item_add
from polis.collections.models import Challenge, Collection, CollectionItem, Membership
from tests.api.conftest import ApiClient

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


@pytest.fixture
def people(make_collection, make_user):
    """A collection with an owner, a moderator and a member; and a stranger."""
    from polis.collections.actions.collections import membership_set

    owner = make_user("owner")
    collection = make_collection(owner, name="fest", title="Fest")
    users = {"owner": owner, "stranger": make_user("stranger")}
    for role in ("moderator", "member"):
        users[role] = make_user(role)
        membership_set(actor=owner, collection=collection, user=users[role], role=role)
    return collection, users


def client_for(who: str, users: dict, token_for) -> ApiClient:
    return ApiClient(token_for(users[who])) if who in users else ApiClient()


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


# --- works waiting for approval ---------------------------------------------------------------


@pytest.fixture
def moderated(people, make_work):
    """A moderated, anonymous collection with one work by an outsider waiting for approval."""
    from polis.collections.actions.collections import CollectionInput, collection_update

    collection, users = people
    collection_update(
        actor=users["owner"],
        collection=collection,
        data=CollectionInput(name="fest", title="Fest", moderated=True, anonymous=True),
    )
    writer = users["stranger"]
    work = make_work(writer, title="Waiting")
    item = item_add(actor=writer, collection=collection, work=work)
    return collection, users, item


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("stranger", 404), ("member", 404), ("moderator", 200), ("owner", 200)],
)
def test_only_maintainers_see_the_queue(moderated, token_for, who, status):
    _, users, item = moderated

    response = client_for(who, users, token_for).get("/collections/fest/items")

    assert response.status_code == status
    if status == 200:
        body = response.json()
        assert body["count"] == 1
        (row,) = body["results"]
        assert (row["id"], row["collection"], row["status"], row["creator_status"]) == (
            item.pk,
            "fest",
            "unreviewed",
            "approved",
        )
        assert (row["work"]["title"], row["work"]["creators"]) == ("Waiting", [])


def test_maintainers_see_unrevealed_works_waiting_but_readers_do_not(moderated, token_for):
    from polis.collections.actions.collections import CollectionInput, collection_update

    collection, users, item = moderated
    collection_update(
        actor=users["owner"],
        collection=collection,
        data=CollectionInput(
            name="fest", title="Fest", moderated=True, anonymous=True, unrevealed=True
        ),
    )
    api = ApiClient(token_for(users["moderator"]))

    queue = api.get("/collections/fest/items").json()["results"]
    assert [(r["work"]["title"], r["work"]["creators"]) for r in queue] == [("Waiting", [])]
    assert api.post(f"/collections/fest/items/{item.pk}/approve", {}).status_code == 200
    assert ApiClient().get("/collections/fest/works").json()["count"] == 0
    member = ApiClient(token_for(users["member"]))
    assert member.get("/collections/fest/works").json()["count"] == 0


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("stranger", 404), ("member", 404), ("moderator", 200), ("owner", 200)],
)
def test_only_maintainers_approve(moderated, token_for, who, status):
    _, users, item = moderated

    response = client_for(who, users, token_for).post(
        f"/collections/fest/items/{item.pk}/approve", {}
    )

    assert response.status_code == status
    item.refresh_from_db()
    assert item.collection_status == ("approved" if status == 200 else "unreviewed")
    if status == 200:
        assert response.json()["status"] == "approved"
        assert response.json()["work"]["creators"] == []


def test_a_rejected_work_leaves_the_queue_and_the_listing(moderated, token_for):
    _, users, item = moderated
    api = ApiClient(token_for(users["moderator"]))

    assert api.post(f"/collections/fest/items/{item.pk}/reject", {}).json()["status"] == "rejected"

    assert api.get("/collections/fest/items").json()["count"] == 0
    assert [r["id"] for r in api.get("/collections/fest/items", status="rejected").json()[
        "results"
    ]] == [item.pk]  # fmt: skip
    assert ApiClient().get("/collections/fest/works").json()["count"] == 0


def test_an_unknown_decision_is_422_and_nothing_changes(moderated, token_for):
    _, users, item = moderated

    response = ApiClient(token_for(users["owner"])).post(
        f"/collections/fest/items/{item.pk}/maybe", {}
    )

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["decision"]
    item.refresh_from_db()
    assert item.collection_status == "unreviewed"


def test_an_item_of_another_collection_is_404(moderated, make_collection, token_for):
    _, users, item = moderated
    make_collection(users["owner"], name="other")

    response = ApiClient(token_for(users["owner"])).post(
        f"/collections/other/items/{item.pk}/approve", {}
    )

    assert response.status_code == 404
    item.refresh_from_db()
    assert item.collection_status == "unreviewed"


def test_maintainers_remove_an_item(moderated, token_for):
    _, users, item = moderated

    response = ApiClient(token_for(users["moderator"])).delete(f"/collections/fest/items/{item.pk}")

    assert response.status_code == 204
    assert CollectionItem.objects.count() == 0


# --- invitations ------------------------------------------------------------------------------


def test_an_owner_invites_a_work_and_its_creator_accepts(people, make_user, make_work, token_for):
    collection, users = people
    writer = make_user("writer")
    work = make_work(writer, title="Invited")
    owner_api = ApiClient(token_for(users["owner"]))

    invited = owner_api.post("/collections/fest/invitations", {"work_id": work.pk})
    assert invited.status_code == 201
    assert (invited.json()["status"], invited.json()["creator_status"]) == (
        "approved",
        "unreviewed",
    )
    again = owner_api.post("/collections/fest/invitations", {"work_id": work.pk})
    assert again.status_code == 400
    assert again.json()["errors"] == [
        {"field": None, "message": "This work is already in “Fest” or invited to it."}
    ]

    writer_api = ApiClient(token_for(writer))
    item_id = invited.json()["id"]
    assert writer_api.get(f"/works/{work.pk}/collections").json() == [
        {"id": item_id, "collection": "fest", "status": "approved", "creator_status": "unreviewed"}
    ]
    # Only the work's creators answer.
    assert owner_api.post(f"/works/{work.pk}/collections/{item_id}/accept", {}).status_code == 404
    accepted = writer_api.post(f"/works/{work.pk}/collections/{item_id}/accept", {})
    assert accepted.status_code == 200
    assert accepted.json()[0]["creator_status"] == "approved"
    assert [w["title"] for w in ApiClient().get("/collections/fest/works").json()["results"]] == [
        "Invited"
    ]

    left = writer_api.delete(f"/works/{work.pk}/collections/{item_id}")
    assert (left.status_code, left.json()) == (200, [])


@pytest.mark.parametrize("who", ["stranger", "member"])
def test_only_maintainers_invite(people, make_work, token_for, who):
    _, users = people
    work = make_work(title="Mine")

    response = ApiClient(token_for(users[who])).post(
        "/collections/fest/invitations", {"work_id": work.pk}
    )

    assert response.status_code == 404
    assert CollectionItem.objects.count() == 0


def test_inviting_a_hidden_or_missing_work_names_the_field(people, make_work, token_for):
    _, users = people
    draft = make_work(title="Draft", post=False)
    api = ApiClient(token_for(users["owner"]))

    for work_id in (draft.pk, 999999):
        response = api.post("/collections/fest/invitations", {"work_id": work_id})
        assert response.status_code == 400
        assert response.json()["errors"] == [
            {"field": "work_id", "message": "There is no posted work with that id."}
        ]
    assert CollectionItem.objects.count() == 0
