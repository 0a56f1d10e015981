"""Creators' controls over comments: freeze, hide, delete threads, moderation, settings, muting."""

import pytest
from django.urls import reverse

from polis.engagement.comments import (
    comment_create,
    comment_settings_update,
    comment_thread_freeze,
)
from polis.engagement.models import Comment, CommentStatus
from tests.engagement.comment_support import _post, _reply
from tests.engagement.conftest import VIEWERS, client_for, flash, refusal
from tests.works.support import parse

pytestmark = pytest.mark.django_db


# viewer → may freeze / hide / delete threads on the creator's work
MODERATE_MATRIX = {
    "anonymous": 302,
    "other": 404,
    "creator": 302,
    "blocked": 404,
    "muted": 404,
    "admin": 302,
}


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("control", ["freeze", "hide"])
def test_thread_controls_permission_matrix(cast, viewer, control):
    people, work = cast
    root, _ = comment_create(actor=people["other"], work=work, text="Root")
    reply = _reply(people, "admin", root, "Reply")

    response = client_for(people, viewer).post(
        reverse(f"engagement:comment_{control}", kwargs={"comment_id": root.pk})
    )

    assert response.status_code == MODERATE_MATRIX[viewer]
    allowed = viewer in {"creator", "admin"}
    field = "frozen" if control == "freeze" else "hidden"
    assert [getattr(c, field) for c in Comment.objects.order_by("pk")] == [allowed, allowed]
    if viewer == "anonymous":
        assert response["Location"].startswith("/accounts/login/")
    del reply


def test_a_frozen_thread_takes_no_replies_or_edits(cast):
    people, work = cast
    root, _ = comment_create(actor=people["other"], work=work, text="Root")
    comment_thread_freeze(actor=people["creator"], comment=root)
    client = client_for(people, "admin")

    response = _post(client, work, text="Late", parent_id=root.pk)

    assert response.status_code == 403
    assert refusal(response).startswith("Sorry, this comment thread has been frozen")
    edit = client_for(people, "other").post(
        reverse("engagement:comment_edit", kwargs={"comment_id": root.pk}), {"text": "Changed"}
    )
    assert edit.status_code == 403
    root.refresh_from_db()
    assert root.content == "<p>Root</p>"


def test_hidden_threads_are_seen_only_by_creators_and_their_authors(cast):
    people, work = cast
    root, _ = comment_create(actor=people["other"], work=work, text="Root")
    _reply(people, "admin", root, "Reply")
    client_for(people, "creator").post(
        reverse("engagement:comment_hide", kwargs={"comment_id": root.pk})
    )

    def shown(viewer):
        page = parse(client_for(people, viewer).get(work.get_absolute_url()))
        return page.texts("li.comment blockquote")

    assert shown("anonymous") == []
    assert shown("muted") == []
    assert shown("creator") == ["Root", "Reply"]
    assert shown("other") == ["Root"]  # the author sees their own comment
    work.refresh_from_db()
    assert work.comment_count == 0

    client_for(people, "creator").post(
        reverse("engagement:comment_hide", kwargs={"comment_id": root.pk}), {"hidden": "0"}
    )
    assert shown("anonymous") == ["Root", "Reply"]


def test_deleting_a_thread_removes_every_reply(cast):
    people, work = cast
    root, _ = comment_create(actor=people["other"], work=work, text="Root")
    _reply(people, "admin", _reply(people, "creator", root, "Reply"), "Deeper")
    other_thread, _ = comment_create(actor=people["admin"], work=work, text="Other")

    response = client_for(people, "creator").post(
        reverse("engagement:comment_delete", kwargs={"comment_id": root.pk}), {"thread": "1"}
    )

    assert response.status_code == 302
    assert list(Comment.objects.all()) == [other_thread]
    work.refresh_from_db()
    assert work.comment_count == 1


def test_a_reader_cannot_delete_a_whole_thread(cast):
    people, work = cast
    root, _ = comment_create(actor=people["other"], work=work, text="Root")
    _reply(people, "admin", root, "Reply")

    response = client_for(people, "other").post(
        reverse("engagement:comment_delete", kwargs={"comment_id": root.pk}), {"thread": "1"}
    )

    assert response.status_code == 404
    assert Comment.objects.count() == 2


def test_moderated_comments_wait_for_the_creator(cast):
    people, work = cast
    comment_settings_update(
        actor=people["creator"], work=work, permission="everyone", moderated=True
    )
    reader = client_for(people, "other")
    response = _post(reader, work, text="Please approve")
    comment = Comment.objects.get()

    assert comment.status == CommentStatus.HELD
    assert flash(reader.get(response["Location"])) == [
        "Your comment was received! It will appear publicly after the creator of the work "
        "has approved it."
    ]
    assert (
        parse(client_for(people, "anonymous").get(work.get_absolute_url())).select("li.comment")
        == []
    )
    held = parse(
        client_for(people, "creator").get(
            reverse("engagement:comments_held", kwargs={"work_id": work.pk})
        )
    )
    assert held.texts("li.comment blockquote") == ["Please approve"]

    client_for(people, "creator").post(
        reverse("engagement:comment_approve", kwargs={"comment_id": comment.pk})
    )

    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED
    assert parse(client_for(people, "anonymous").get(work.get_absolute_url())).texts(
        "li.comment blockquote"
    ) == ["Please approve"]
    work.refresh_from_db()
    assert work.comment_count == 1


def test_creators_own_comments_skip_moderation(cast):
    people, work = cast
    comment_settings_update(
        actor=people["creator"], work=work, permission="everyone", moderated=True
    )

    comment, _ = comment_create(actor=people["creator"], work=work, text="Author's note")

    assert comment.status == CommentStatus.PUBLISHED


# viewer → comment settings page status
SETTINGS_MATRIX = {
    "anonymous": 302,
    "other": 404,
    "creator": 200,
    "blocked": 404,
    "muted": 404,
    "admin": 404,
}


@pytest.mark.parametrize("viewer", VIEWERS)
def test_comment_settings_page_is_for_creators(cast, viewer):
    people, work = cast
    url = reverse("engagement:comment_settings", kwargs={"work_id": work.pk})

    response = client_for(people, viewer).post(url, {"permission": "nobody", "moderated": "on"})

    expected = SETTINGS_MATRIX[viewer]
    assert response.status_code == (302 if expected == 200 else expected)
    from polis.engagement.comments import comment_settings_for

    settings = comment_settings_for(work)
    changed = viewer == "creator"
    assert (settings.permission, settings.moderated) == (
        ("nobody", True) if changed else ("everyone", False)
    )


def test_muting_hides_comments_and_fixes_the_count(cast):
    people, work = cast
    comment_create(actor=people["muted"], work=work, text="Boring take")
    comment_create(actor=people["other"], work=work, text="Good take")

    creator_page = parse(client_for(people, "creator").get(work.get_absolute_url()))
    other_page = parse(client_for(people, "other").get(work.get_absolute_url()))

    assert creator_page.texts("li.comment blockquote") == ["Good take"]
    assert creator_page.select_one("dl.stats dd.comments").text == "1"
    assert other_page.texts("li.comment blockquote") == ["Boring take", "Good take"]
    assert other_page.select_one("dl.stats dd.comments").text == "2"


def test_a_muted_users_comment_with_replies_becomes_a_placeholder(cast):
    people, work = cast
    root, _ = comment_create(actor=people["muted"], work=work, text="Boring take")
    _reply(people, "other", root, "Answer")

    page = parse(client_for(people, "creator").get(work.get_absolute_url()))

    assert page.select_one(f"li#comment_{root.pk} p.placeholder").text == (
        "(This comment is not shown to you.)"
    )
    assert page.texts("li.comment blockquote") == ["Answer"]
