"""Tag sets through the API: list, create, settings, tags, fandom links, nominations."""

import pytest

from polis.collections.actions.tagsets import TagSetInput, nomination_create, tag_set_update
from polis.collections.models import Nomination, TagAssociation, TagSet
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def tag_set(make_tag_set, make_user):
    owner = make_user("owner")
    tag_set = make_tag_set(owner, fandoms=["Alpha"], characters=["Ann"])
    tag_set_update(
        actor=owner,
        tag_set=tag_set,
        data=TagSetInput(title="Fest tags", nominations_open=True, character_nomination_limit=2),
    )
    return tag_set, owner


def state(tag_set: TagSet) -> tuple:
    tag_set.refresh_from_db()
    return (
        tag_set.title,
        tag_set.nominations_open,
        sorted(tag_set.tags.values_list("name", flat=True)),
        TagAssociation.objects.count(),
        sorted(Nomination.objects.values_list("name", "status")),
    )


def test_anyone_lists_and_reads_tag_sets(tag_set):
    tag_set, _ = tag_set

    listed = ApiClient().get("/tag_sets")
    shown = ApiClient().get(f"/tag_sets/{tag_set.pk}")

    assert listed.json() == {
        "count": 1,
        "page": 1,
        "per_page": 20,
        "results": [
            {
                "id": tag_set.pk,
                "title": "Fest tags",
                "url": f"http://testserver/tag_sets/{tag_set.pk}",
                "nominations_open": True,
            }
        ],
    }
    body = shown.json()
    assert body["tags"] == {
        "fandom": ["Alpha"],
        "character": ["Ann"],
        "relationship": [],
        "freeform": [],
    }
    assert (body["character_nomination_limit"], body["associations"]) == (2, [])
    assert ApiClient().get("/tag_sets/999999").status_code == 404


def test_creating_a_tag_set_makes_the_caller_its_moderator(make_user, token_for):
    alice = make_user("alice")

    response = ApiClient(token_for(alice)).post(
        "/tag_sets", {"title": "Yuletide", "fandom_nomination_limit": 3}
    )

    assert response.status_code == 201
    assert (response.json()["title"], response.json()["fandom_nomination_limit"]) == (
        "Yuletide",
        3,
    )
    assert list(TagSet.objects.get().owners.values_list("username", flat=True)) == ["alice"]


@pytest.mark.parametrize(
    ("body", "status", "errors"),
    [
        ({"title": " "}, 400, [{"field": "title", "message": "Give the tag set a title."}]),
        ({"title": "X", "fandom_nomination_limit": -1}, 422, ["fandom_nomination_limit"]),
        ({"title": "X" * 256}, 422, ["title"]),
    ],
)
def test_a_refused_tag_set_names_the_field(make_user, token_for, body, status, errors):
    response = ApiClient(token_for(make_user())).post("/tag_sets", body)

    assert response.status_code == status
    got = response.json()["errors"]
    assert (got if status == 400 else [e["field"] for e in got]) == errors
    assert TagSet.objects.count() == 0


WHO = [("anonymous", 401), ("stranger", 404), ("owner", 200)]


def client_for(who, owner, make_user, token_for) -> ApiClient:
    if who == "anonymous":
        return ApiClient()
    return ApiClient(token_for(owner if who == "owner" else make_user("stranger")))


@pytest.mark.parametrize(("who", "status"), WHO)
def test_only_its_moderators_change_a_tag_set(tag_set, make_user, token_for, who, status):
    tag_set, owner = tag_set
    before = state(tag_set)
    api = client_for(who, owner, make_user, token_for)

    responses = [
        api.patch(f"/tag_sets/{tag_set.pk}", {"title": "Renamed"}),
        api.post(f"/tag_sets/{tag_set.pk}/tags", {"tag_type": "fandom", "names": ["Beta"]}),
        api.post(
            f"/tag_sets/{tag_set.pk}/associations", {"tag_name": "Ann", "fandom_name": "Alpha"}
        ),
    ]

    assert [r.status_code for r in responses] == [status] * 3
    if status == 200:
        assert responses[0].json()["title"] == "Renamed"
        assert responses[2].json()["tags"]["fandom"] == ["Alpha", "Beta"]
        assert responses[2].json()["associations"] == [{"tag": "Ann", "fandom": "Alpha"}]
        assert state(tag_set) == ("Renamed", True, ["Alpha", "Ann", "Beta"], 1, [])
    else:
        assert state(tag_set) == before


def test_a_refused_association_names_both_fields_and_links_nothing(tag_set, token_for):
    tag_set, owner = tag_set

    response = ApiClient(token_for(owner)).post(
        f"/tag_sets/{tag_set.pk}/associations", {"tag_name": "Alpha", "fandom_name": "Ann"}
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "tag_name",
            "message": "“Alpha” is not a character or relationship of this tag set.",
        },
        {"field": "fandom_name", "message": "“Ann” is not a fandom of this tag set."},
    ]
    assert TagAssociation.objects.count() == 0


def test_a_tag_name_taken_by_another_type_is_refused_on_names(tag_set, token_for):
    tag_set, owner = tag_set
    before = state(tag_set)

    response = ApiClient(token_for(owner)).post(
        f"/tag_sets/{tag_set.pk}/tags", {"tag_type": "fandom", "names": ["Ann"]}
    )

    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["names"]
    assert state(tag_set) == before


def test_nominating_within_the_limits_and_the_review(tag_set, make_user, token_for):
    tag_set, owner = tag_set
    fan = make_user("fan")
    api = ApiClient(token_for(fan))

    made = api.post(
        f"/tag_sets/{tag_set.pk}/nominations",
        {"tag_type": "character", "name": "Bob", "fandom_name": "Alpha"},
    )
    assert made.status_code == 201
    assert {k: made.json()[k] for k in ("name", "status", "nominator")} == {
        "name": "Bob",
        "status": "pending",
        "nominator": "fan",
    }
    over = api.post(f"/tag_sets/{tag_set.pk}/nominations", {"tag_type": "fandom", "name": "Z"})
    assert over.status_code == 400
    assert over.json()["errors"] == [
        {"field": "name", "message": "You can nominate at most 0 fandom tag(s) for this set."}
    ]
    assert ApiClient().post(
        f"/tag_sets/{tag_set.pk}/nominations", {"tag_type": "fandom", "name": "Z"}
    ).status_code == 401  # fmt: skip

    nomination_id = made.json()["id"]
    # Only the tag set's moderators see and review nominations.
    assert api.get(f"/tag_sets/{tag_set.pk}/nominations").status_code == 404
    assert (
        api.post(f"/tag_sets/{tag_set.pk}/nominations/{nomination_id}/approve", {}).status_code
        == 404
    )
    owner_api = ApiClient(token_for(owner))
    assert [n["name"] for n in owner_api.get(f"/tag_sets/{tag_set.pk}/nominations").json()] == [
        "Bob"
    ]
    approved = owner_api.post(f"/tag_sets/{tag_set.pk}/nominations/{nomination_id}/approve", {})
    assert (approved.status_code, approved.json()["status"]) == (200, "approved")
    shown = ApiClient().get(f"/tag_sets/{tag_set.pk}").json()
    assert shown["tags"]["character"] == ["Ann", "Bob"]
    assert shown["associations"] == [{"tag": "Bob", "fandom": "Alpha"}]
    assert owner_api.get(f"/tag_sets/{tag_set.pk}/nominations").json() == []


def test_rejecting_a_nomination_adds_no_tag(tag_set, make_user, token_for):
    tag_set, owner = tag_set
    nomination = nomination_create(
        actor=make_user("fan"), tag_set=tag_set, tag_type="character", name="Cat"
    )

    response = ApiClient(token_for(owner)).post(
        f"/tag_sets/{tag_set.pk}/nominations/{nomination.pk}/reject", {}
    )

    assert (response.status_code, response.json()["status"]) == (200, "rejected")
    assert state(tag_set)[2] == ["Alpha", "Ann"]


def test_closed_nominations_are_refused(tag_set, make_user, token_for):
    tag_set, owner = tag_set
    ApiClient(token_for(owner)).patch(f"/tag_sets/{tag_set.pk}", {"nominations_open": False})

    response = ApiClient(token_for(make_user())).post(
        f"/tag_sets/{tag_set.pk}/nominations", {"tag_type": "character", "name": "Bob"}
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": None, "message": "Nominations for this tag set are closed."}
    ]
    assert Nomination.objects.count() == 0
