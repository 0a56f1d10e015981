"""Changing works through the API: creators only; everyone else sees 404 and changes nothing."""

import pytest

from polis.works.models import Work
from tests.api.conftest import ApiClient, fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(alice, make_work) -> Work:
    return make_work(alice, title="Original", freeforms=["Angst"])


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 401), ("other user", 404), ("creator", 200)]
)
def test_patch_permissions(who, status, alice, bob, work, api_as):
    caller = {"anonymous": ApiClient(), "other user": api_as(bob), "creator": api_as(alice)}[who]

    response = caller.patch(f"/works/{work.pk}", {"title": "Changed"})

    assert response.status_code == status
    work.refresh_from_db()
    assert work.title == ("Changed" if status == 200 else "Original")


def test_another_users_patch_is_404_and_changes_nothing(alice, bob, work, api_as):
    before = Work.objects.filter(pk=work.pk).values().get()

    response = api_as(bob).patch(f"/works/{work.pk}", {"title": "Stolen", "restricted": True})

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "errors": []}
    assert Work.objects.filter(pk=work.pk).values().get() == before


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 401), ("other user", 404), ("creator", 204)]
)
def test_delete_permissions(who, status, alice, bob, work, api_as):
    caller = {"anonymous": ApiClient(), "other user": api_as(bob), "creator": api_as(alice)}[who]

    response = caller.delete(f"/works/{work.pk}")

    assert response.status_code == status
    assert Work.objects.filter(pk=work.pk).exists() is (status != 204)


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 401), ("other user", 404), ("creator", 201)]
)
def test_add_chapter_permissions(who, status, alice, bob, work, api_as):
    caller = {"anonymous": ApiClient(), "other user": api_as(bob), "creator": api_as(alice)}[who]

    response = caller.post(f"/works/{work.pk}/chapters", {"title": "Two", "text": "Word."})

    assert response.status_code == status
    assert work.chapters.count() == (2 if status == 201 else 1)


def test_patch_changes_only_the_fields_sent(alice, work, api_as):
    response = api_as(alice).patch(
        f"/works/{work.pk}", {"freeforms": ["Fluff", "Hurt/Comfort"], "expected_chapters": 3}
    )

    assert response.status_code == 200
    data = response.json()
    assert data["title"] == "Original"
    assert data["tags"]["freeforms"] == ["Fluff", "Hurt/Comfort"]
    assert data["tags"]["fandoms"] == ["Original Work"]
    assert data["stats"]["chapters"] == "1/3"
    work.refresh_from_db()
    assert (work.title, work.expected_chapters) == ("Original", 3)


def test_patch_is_validated_by_the_form(alice, work, api_as):
    response = api_as(alice).patch(f"/works/{work.pk}", {"title": "", "summary": "s" * 1251})

    assert response.status_code == 400
    assert fields(response) == ["title", "summary"]
    work.refresh_from_db()
    assert work.title == "Original"


def test_patch_refuses_fields_it_cannot_change(alice, work, api_as):
    response = api_as(alice).patch(f"/works/{work.pk}", {"chapters": [], "pseuds": ["alice"]})

    assert response.status_code == 422
    assert sorted(fields(response)) == ["chapters", "pseuds"]


def test_patch_draft_false_posts_a_draft(alice, make_work, api_as):
    draft = make_work(alice, post=False)

    response = api_as(alice).patch(f"/works/{draft.pk}", {"draft": False})

    assert response.status_code == 200
    assert response.json()["draft"] is False
    draft.refresh_from_db()
    assert draft.posted is True


def test_a_posted_work_cannot_become_a_draft(alice, work, api_as):
    response = api_as(alice).patch(f"/works/{work.pk}", {"draft": True})

    assert response.status_code == 400
    assert fields(response) == ["draft"]
    work.refresh_from_db()
    assert work.posted is True


def test_add_chapter_posts_it_and_counts_words(alice, work, api_as):
    response = api_as(alice).post(
        f"/works/{work.pk}/chapters",
        {"title": "Later", "text": "**One** two three", "format": "markdown"},
    )

    assert response.status_code == 201
    data = response.json()
    assert (data["position"], data["title"], data["word_count"], data["draft"]) == (
        2, "Later", 3, False
    )  # fmt: skip
    assert data["content"] == "<p><strong>One</strong> two three</p>"
    work.refresh_from_db()
    assert (work.chapter_count, work.word_count) == (2, 6)


def test_add_draft_chapter_leaves_the_work_unchanged(alice, work, api_as):
    response = api_as(alice).post(f"/works/{work.pk}/chapters", {"text": "Soon.", "draft": True})

    assert response.status_code == 201
    assert response.json()["draft"] is True
    work.refresh_from_db()
    assert work.chapter_count == 1


def test_add_chapter_is_validated_by_the_chapter_form(alice, work, api_as):
    response = api_as(alice).post(
        f"/works/{work.pk}/chapters", {"title": "t" * 256, "text": " ", "format": "doc"}
    )

    assert response.status_code == 400
    assert sorted(fields(response)) == ["format", "text", "title"]
    assert work.chapters.count() == 1
