"""The engagement admin moderates and removes through the actions: the counters follow."""

import pytest
from django.test import Client

from polis.api.actions import token_create
from polis.api.models import ApiToken
from polis.engagement.bookmarks import bookmark_create
from polis.engagement.comments import comment_create
from polis.engagement.kudos import kudos_give
from polis.engagement.models import Bookmark, Comment, Kudos
from polis.search.models import WorkDoc
from polis.works.models import Work

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(make_user):
    client = Client()
    client.force_login(make_user("staffer", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def work(make_work, make_user):
    work = make_work(title="Counted")
    for name in ("ann", "bea"):
        reader = make_user(name)
        kudos_give(actor=reader, work=work)
        bookmark_create(actor=reader, work=work)
        comment_create(actor=reader, work=work, text=f"<p>Lovely, from {name}.</p>")
    return work


def counts(work: Work) -> dict[str, tuple[int, int]]:
    """Each counter on the work and in the index the listings read, side by side."""
    work.refresh_from_db()
    doc = WorkDoc.objects.get(work=work)
    return {
        name: (getattr(work, name), getattr(doc, name))
        for name in ("kudos_count", "bookmark_count", "comment_count")
    }


def test_counts_to_begin_with(work):
    assert counts(work) == {
        "kudos_count": (2, 2),
        "bookmark_count": (2, 2),
        "comment_count": (2, 2),
    }


def test_deleting_kudos_bookmarks_and_comments_in_the_admin_recounts(staff, work):
    kudos = Kudos.objects.filter(user__username="ann").get()
    bookmark = Bookmark.objects.filter(user__username="ann").get()
    comment = Comment.objects.filter(user__username="ann").get()

    for url in [
        f"/admin/engagement/kudos/{kudos.pk}/delete/",
        f"/admin/engagement/bookmark/{bookmark.pk}/delete/",
        f"/admin/engagement/comment/{comment.pk}/delete/",
    ]:
        assert staff.post(url, {"post": "yes"}).status_code == 302, url

    assert counts(work) == {
        "kudos_count": (1, 1),
        "bookmark_count": (1, 1),
        "comment_count": (1, 1),
    }


@pytest.mark.parametrize("model", ["kudos", "bookmark", "comment"])
def test_bulk_deleting_in_the_admin_recounts(staff, work, model):
    ids = {
        "kudos": Kudos.objects.values_list("pk", flat=True),
        "bookmark": Bookmark.objects.values_list("pk", flat=True),
        "comment": Comment.objects.values_list("pk", flat=True),
    }[model]

    response = staff.post(
        f"/admin/engagement/{model}/",
        {"action": "delete_selected", "_selected_action": list(ids), "post": "yes"},
    )

    assert response.status_code == 302
    expected = {"kudos_count": (2, 2), "bookmark_count": (2, 2), "comment_count": (2, 2)}
    expected[f"{model}_count"] = (0, 0)
    assert counts(work) == expected


def test_hiding_a_comment_in_the_admin_recounts(staff, work):
    comment = Comment.objects.filter(user__username="ann").get()

    response = staff.post(
        f"/admin/engagement/comment/{comment.pk}/change/", {"hidden": "on", "frozen": ""}
    )

    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.hidden is True
    assert counts(work)["comment_count"] == (1, 1)


def test_comment_text_and_status_cannot_be_changed_by_a_crafted_post(staff, work):
    comment = Comment.objects.filter(user__username="ann").get()
    before = Comment.objects.filter(pk=comment.pk).values().get()

    response = staff.post(
        f"/admin/engagement/comment/{comment.pk}/change/",
        {"content": "<p>Forged.</p>", "status": "spam", "deleted": "on", "frozen": ""},
    )

    assert response.status_code == 302
    assert Comment.objects.filter(pk=comment.pk).values().get() == before
    assert counts(work)["comment_count"] == (2, 2)


def test_bookmarks_and_kudos_cannot_be_changed_or_added_in_the_admin(staff, work):
    bookmark = Bookmark.objects.filter(user__username="ann").get()
    kudos = Kudos.objects.filter(user__username="ann").get()

    assert (
        staff.post(
            f"/admin/engagement/bookmark/{bookmark.pk}/change/", {"private": "on"}
        ).status_code
        == 403
    )
    assert staff.post(f"/admin/engagement/kudos/{kudos.pk}/change/", {}).status_code == 403
    for model in ("bookmark", "kudos", "comment"):
        assert staff.get(f"/admin/engagement/{model}/add/").status_code == 403
    bookmark.refresh_from_db()
    assert bookmark.private is False
    assert counts(work)["bookmark_count"] == (2, 2)


def test_an_api_token_deleted_in_the_admin_is_revoked(staff, make_user):
    owner = make_user("owner")
    token, plain = token_create(actor=owner, name="e-reader")
    bearer = {"Authorization": f"Bearer {plain}"}
    assert Client().get("/api/v1/me", headers=bearer).status_code == 200

    response = staff.post(f"/admin/api/apitoken/{token.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert Client().get("/api/v1/me", headers=bearer).status_code == 401


def test_accounts_and_pseuds_cannot_be_deleted_in_the_admin(staff, make_user):
    user = make_user("keeper")

    assert staff.post(f"/admin/accounts/user/{user.pk}/delete/", {"post": "yes"}).status_code == 403
    pseud = user.pseuds.get()
    response = staff.post(f"/admin/accounts/pseud/{pseud.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert user.pseuds.count() == 1
