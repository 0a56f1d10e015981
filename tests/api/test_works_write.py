"""Posting and editing works through the API: same rules as the web form, all or nothing."""

import pytest
from django.test import Client

from polis.accounts.actions import pseud_create
from polis.tags.models import Tag
from polis.works.models import Work
from tests.api.conftest import ApiClient, fields, work_body

pytestmark = pytest.mark.django_db


def test_post_work_with_two_chapters_creates_a_posted_work(alice, api_as):
    response = api_as(alice).post("/works", work_body())

    assert response.status_code == 201
    data = response.json()
    work = Work.objects.get()
    assert data["id"] == work.pk
    assert data["url"] == f"http://testserver/works/{work.pk}"
    assert work.posted is True
    assert work.title == "The Long Way Round"
    assert work.chapter_count == 2
    assert [
        (c.position, c.title, c.text_format, c.word_count, c.posted) for c in work.chapters.all()
    ] == [
        (1, "Departure", "html", 4, True),
        (2, "Arrival", "text", 5, True),
    ]
    assert work.word_count == 9
    assert sorted(work.tags.values_list("type", "name")) == [
        ("category", "F/F"),
        ("character", "Clarke Griffin"),
        ("character", "Lexa"),
        ("fandom", "The 100 (TV)"),
        ("freeform", "Road Trip"),
        ("rating", "Teen And Up Audiences"),
        ("relationship", "Clarke Griffin/Lexa"),
        ("warning", "No Archive Warnings Apply"),
    ]
    assert data["tags"] == {
        "rating": "Teen And Up Audiences",
        "warnings": ["No Archive Warnings Apply"],
        "categories": ["F/F"],
        "fandoms": ["The 100 (TV)"],
        "relationships": ["Clarke Griffin/Lexa"],
        "characters": ["Clarke Griffin", "Lexa"],
        "freeforms": ["Road Trip"],
    }
    assert data["creators"] == [
        {"pseud": "alice", "username": "alice", "url": "http://testserver/users/alice/pseuds/alice"}
    ]
    assert data["stats"] == {
        "words": 9, "chapters": "2/?", "kudos": 0, "hits": 0, "comments": 0, "bookmarks": 0
    }  # fmt: skip
    assert data["draft"] is False
    assert [c["word_count"] for c in data["chapters"]] == [4, 5]


def test_post_work_as_draft_posts_nothing(alice, api_as):
    response = api_as(alice).post("/works", work_body(draft=True))

    assert response.status_code == 201
    assert response.json()["draft"] is True
    work = Work.objects.get()
    assert work.posted is False
    assert work.chapters.filter(posted=True).count() == 0


def test_post_work_under_a_named_pseud(alice, api_as):
    pseud_create(actor=alice, name="Heda")
    response = api_as(alice).post("/works", work_body(pseuds=["heda"]))

    assert response.status_code == 201
    assert [c["pseud"] for c in response.json()["creators"]] == ["Heda"]


def test_post_work_under_someone_elses_pseud_is_refused(alice, bob, api_as):
    response = api_as(alice).post("/works", work_body(pseuds=["bob"]))

    assert response.status_code == 400
    assert fields(response) == ["pseuds"]
    assert Work.objects.count() == 0


def test_unknown_field_is_refused_naming_it(alice, api_as):
    body = work_body(colour="red")
    body["chapters"][1]["mood"] = "calm"

    response = api_as(alice).post("/works", body)

    assert response.status_code == 422
    assert sorted(response.json()["errors"], key=lambda error: error["field"]) == [
        {"field": "chapters[1].mood", "message": "Unknown field."},
        {"field": "colour", "message": "Unknown field."},
    ]
    assert Work.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"restricted": "yes"}, "restricted"),
        ({"fandoms": "The 100 (TV)"}, "fandoms"),
        ({"title": 42}, "title"),
        ({"expected_chapters": "3"}, "expected_chapters"),
        ({"published_at": "last week"}, "published_at"),
        ({"chapters": []}, "chapters"),
    ],
)
def test_wrong_types_are_refused_naming_the_field(alice, api_as, change, field):
    response = api_as(alice).post("/works", work_body(**change))

    assert response.status_code == 422
    assert fields(response) == [field]
    assert response.json()["detail"] == "The request is not valid."


def test_wrong_type_inside_a_chapter_names_its_position(alice, api_as):
    body = work_body()
    body["chapters"][1]["text"] = 5

    response = api_as(alice).post("/works", body)

    assert response.status_code == 422
    assert fields(response) == ["chapters[1].text"]


def test_missing_required_field_is_named(alice, api_as):
    body = work_body()
    del body["title"]

    response = api_as(alice).post("/works", body)

    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "title", "message": "This field is required."}]


def test_title_too_long_is_refused_naming_title(alice, api_as):
    response = api_as(alice).post("/works", work_body(title="x" * 256))

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "title", "message": "Ensure this value has at most 255 characters (it has 256)."}
    ]
    assert Work.objects.count() == 0


def test_form_rules_apply_to_each_field_and_chapter(alice, api_as):
    body = work_body(rating="Scary", warnings=[], fandoms=["Bad*Name"], language="xx")
    body["chapters"][1]["text"] = "   "
    body["chapters"][0]["format"] = "rtf"

    response = api_as(alice).post("/works", body)

    assert response.status_code == 400
    assert sorted(set(fields(response))) == [
        "chapters[0].format",
        "chapters[1].text",
        "fandoms",
        "language",
        "rating",
        "warnings",
    ]
    assert Work.objects.count() == 0


def test_a_comma_inside_a_tag_name_is_refused(alice, api_as):
    response = api_as(alice).post("/works", work_body(freeforms=["Angst, Fluff"]))

    assert response.status_code == 400
    assert fields(response) == ["freeforms"]


def test_76_tags_are_refused_and_nothing_is_created(alice, api_as):
    works, tags = Work.objects.count(), Tag.objects.count()
    body = work_body(relationships=[], characters=[], freeforms=[f"Tag {n}" for n in range(75)])

    response = api_as(alice).post("/works", body)

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": None,
            "message": "You have 76 fandom, relationship, character and additional tags; "
            "a work can have at most 75.",
        }
    ]
    assert (Work.objects.count(), Tag.objects.count()) == (works, tags)


def test_75_tags_are_accepted(alice, api_as):
    body = work_body(relationships=[], characters=[], freeforms=[f"Tag {n}" for n in range(74)])

    assert api_as(alice).post("/works", body).status_code == 201


def test_a_chapter_refused_by_the_action_rolls_back_the_whole_work(alice, api_as):
    works, tags = Work.objects.count(), Tag.objects.count()
    body = work_body()
    body["chapters"][1] = {"text": "<script>alert(1)</script>", "format": "html"}

    response = api_as(alice).post("/works", body)

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "chapters[1].text", "message": "The text cannot be blank."}
    ]
    assert (Work.objects.count(), Tag.objects.count()) == (works, tags)


def test_writes_without_a_token_are_401(alice, make_work):
    work = make_work(alice)
    anonymous = ApiClient()

    for response in [
        anonymous.post("/works", work_body()),
        anonymous.patch(f"/works/{work.pk}", {"title": "Mine now"}),
        anonymous.delete(f"/works/{work.pk}"),
        anonymous.post(f"/works/{work.pk}/chapters", {"text": "More."}),
        ApiClient("not-a-token").post("/works", work_body()),
    ]:
        assert response.status_code == 401
        assert response.json()["detail"].startswith("Authentication required")
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    work.refresh_from_db()
    assert (work.title, Work.objects.count(), work.chapters.count()) == ("A Work", 1, 1)


def test_a_logged_in_session_cannot_write_without_a_token(alice, client):
    client.force_login(alice)

    response = client.post("/api/v1/works", work_body(), content_type="application/json")

    assert response.status_code == 401
    assert Work.objects.count() == 0


def test_token_writes_pass_djangos_csrf_checks(alice, token_for):
    api = ApiClient(token_for(alice), client=Client(enforce_csrf_checks=True))

    assert api.post("/works", work_body()).status_code == 201
