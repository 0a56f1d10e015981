"""The tags API: relations in `GET /tags/{name}`, and wrangling with `PATCH /tags/{name}`."""

import pytest

from polis.api.actions import token_create
from polis.tags.models import Tag, TagType
from polis.tags.wrangling import tag_add_meta, tag_add_parent, tag_make_synonym
from tests.api.conftest import ApiClient
from tests.tags.conftest import REFUSED, ROLES, tag_state

pytestmark = pytest.mark.django_db

CLARKE = "/tags/Clarke Griffin"


@pytest.fixture
def clarke(wrangler, canonical, tag_of, make_work):
    tv = canonical("The 100 (TV)", TagType.FANDOM)
    canonical("Original Work", TagType.FANDOM)
    tag = canonical("Clarke Griffin", TagType.CHARACTER)
    tag_add_parent(actor=wrangler, child=tag, parent=tv)
    tag_add_meta(actor=wrangler, sub=tag, meta=canonical("Griffins", TagType.CHARACTER))
    tag_add_meta(actor=wrangler, sub=canonical("Young Clarke", TagType.CHARACTER), meta=tag)
    tag_make_synonym(actor=wrangler, tag=tag_of("Wanheda", TagType.CHARACTER), of=tag)
    tag_of("Commander", TagType.CHARACTER)
    return tag


def api(user=None) -> ApiClient:
    return ApiClient(token_create(actor=user, name="tests")[1] if user is not None else None)


def all_state() -> list[tuple]:
    return tag_state(*Tag.objects.values_list("name", flat=True))


def test_a_tag_shows_its_relations(clarke):
    response = ApiClient().get(CLARKE)

    assert response.status_code == 200
    assert response.json() == {
        "name": "Clarke Griffin",
        "type": "character",
        "canonical": True,
        "synonym_of": None,
        "synonyms": ["Wanheda"],
        "url": "http://testserver/tags/Clarke%20Griffin",
        "works_url": "http://testserver/tags/Clarke%20Griffin/works",
        "parents": ["The 100 (TV)"],
        "children": [],
        "meta_tags": ["Griffins"],
        "sub_tags": ["Young Clarke"],
    }
    assert ApiClient().get("/tags/The 100 (TV)").json()["children"] == ["Clarke Griffin"]


def test_patch_makes_every_change_at_once(wrangler, clarke):
    response = api(wrangler).patch(
        CLARKE,
        {
            "name": "Clarke Griffin (The 100)",
            "parents": ["original work", "The 100 (TV)"],
            "meta_tags": [],
        },
    )

    assert response.status_code == 200
    data = response.json()
    assert (data["name"], data["parents"], data["meta_tags"]) == (
        "Clarke Griffin (The 100)",
        ["Original Work", "The 100 (TV)"],
        [],
    )
    assert data["url"] == "http://testserver/tags/Clarke%20Griffin%20(The%20100)"
    assert tag_state("Clarke Griffin (The 100)") == [
        (
            "Clarke Griffin (The 100)",
            "character",
            True,
            None,
            ["Original Work", "The 100 (TV)"],
            [],
            [],
            ["Young Clarke"],
        )
    ]


def test_patch_makes_and_removes_a_synonym(wrangler, clarke):
    client = api(wrangler)

    made = client.patch("/tags/Commander", {"synonym_of": "clarke griffin"})
    assert (made.status_code, made.json()["synonym_of"]) == (200, "Clarke Griffin")
    assert Tag.objects.get(name="Commander").merger == clarke

    removed = client.patch("/tags/Commander", {"synonym_of": None})
    assert (removed.status_code, removed.json()["synonym_of"]) == (200, None)
    assert Tag.objects.get(name="Commander").merger is None


def test_patch_makes_a_tag_canonical_and_adds_a_meta_tag(wrangler, clarke):
    response = api(wrangler).patch(
        "/tags/Commander", {"canonical": True, "meta_tags": ["Clarke Griffin"]}
    )

    assert response.status_code == 200
    assert (response.json()["canonical"], response.json()["meta_tags"]) == (
        True,
        ["Clarke Griffin"],
    )


def test_an_empty_patch_changes_nothing(wrangler, clarke):
    before = all_state()

    response = api(wrangler).patch(CLARKE, {})

    assert response.status_code == 200
    assert all_state() == before


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {"name": "Renamed", "meta_tags": ["Griffins", "Young Clarke"]},
            [
                {
                    "field": "meta_tags",
                    "message": "“Young Clarke” is already below “Renamed”; "
                    "making it a meta tag would make a cycle.",
                }
            ],
        ),
        (
            {"parents": ["Nope"]},
            [{"field": "parents", "message": "There is no tag named “Nope”."}],
        ),
        (
            {"parents": ["Griffins"]},
            [
                {
                    "field": "parents",
                    "message": "A Character tag cannot be a parent of a Character tag.",
                }
            ],
        ),
        (
            {"synonym_of": "Griffins", "canonical": False, "meta_tags": []},
            [
                {
                    "field": "synonym_of",
                    "message": "“Clarke Griffin” has synonyms of its own; "
                    "move them to “Griffins” first.",
                }
            ],
        ),
        (
            {"canonical": False},
            [
                {
                    "field": "canonical",
                    "message": "“Clarke Griffin” has synonyms; it must stay canonical.",
                }
            ],
        ),
        (
            {"name": "griffins"},
            [{"field": "name", "message": "A tag named “griffins” already exists."}],
        ),
        (
            {"parents": ["A, B"]},
            [{"field": "parents[0]", "message": "Give one tag name per item."}],
        ),
    ],
    ids=["cycle", "unknown", "wrong type", "has synonyms", "stay canonical", "taken", "comma"],
)
def test_a_refused_change_is_400_with_the_reason_and_changes_nothing(
    wrangler, clarke, body, errors
):
    before = all_state()

    response = api(wrangler).patch(CLARKE, body)

    assert response.status_code == 400
    assert response.json()["errors"] == errors
    assert all_state() == before


def test_a_synonym_of_a_synonym_is_refused(wrangler, clarke):
    before = all_state()

    response = api(wrangler).patch("/tags/Commander", {"synonym_of": "Wanheda"})

    assert response.status_code == 400
    assert response.json() == {
        "detail": "The change was refused; nothing was changed.",
        "errors": [
            {
                "field": "synonym_of",
                "message": "“Wanheda” is a synonym of “Clarke Griffin”; "
                "a synonym must point at a canonical tag.",
            }
        ],
    }
    assert all_state() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"colour": "red"}, "colour"),
        ({"canonical": "yes"}, "canonical"),
        ({"parents": "A"}, "parents"),
    ],
)
def test_invalid_bodies_are_422_naming_the_field(wrangler, clarke, body, field):
    before = all_state()

    response = api(wrangler).patch(CLARKE, body)

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert all_state() == before


def test_an_unknown_tag_is_404_for_wranglers(wrangler, clarke):
    assert api(wrangler).patch("/tags/Nobody", {"canonical": True}).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_only_wranglers_and_admins_may_patch(make_user, wrangler, clarke, role):
    users = {
        "anonymous": None,
        "user": make_user("reader"),
        "creator": make_user("writer"),
        "wrangler": wrangler,
        "admin": make_user("admin", is_superuser=True, is_staff=True),
    }
    before = all_state()

    response = api(users[role]).patch(CLARKE, {"parents": [], "name": "Changed"})

    expected = {"anonymous": 401, "user": 403, "creator": 403}.get(role, 200)
    assert response.status_code == expected
    if role in REFUSED:
        assert all_state() == before
    else:
        assert tag_state("Changed")[0][:5] == ("Changed", "character", True, None, [])


def test_a_browser_session_cannot_patch(client, wrangler, clarke):
    client.force_login(wrangler)
    before = all_state()

    response = client.patch(
        "/api/v1/tags/Clarke Griffin", '{"canonical": false}', content_type="application/json"
    )

    assert response.status_code == 401
    assert all_state() == before
