"""Collections through the API: works waiting for approval, removing items, invitations."""

import pytest

from polis.collections.actions.items import item_add
from polis.collections.models import CollectionItem
from tests.api.conftest import ApiClient
from tests.collections.conftest import client_for

pytestmark = pytest.mark.django_db


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
