"""Editing and deleting one's comments, and who else may delete them."""

import pytest
from django.urls import reverse

from polis.engagement.comments import (
    comment_create,
)
from polis.engagement.models import Comment
from tests.engagement.comment_support import _reply
from tests.engagement.conftest import VIEWERS, client_for
from tests.works.support import parse

pytestmark = pytest.mark.django_db


def test_editing_a_comment_marks_it_last_edited(cast):
    people, work = cast
    comment, _ = comment_create(actor=people["other"], work=work, text="Tpyo")
    client = client_for(people, "other")

    response = client.post(
        reverse("engagement:comment_edit", kwargs={"comment_id": comment.pk}), {"text": "Typo"}
    )

    comment.refresh_from_db()
    assert response.status_code == 302
    assert comment.content == "<p>Typo</p>"
    page = parse(client.get(response["Location"]))
    assert page.select_one(f"li#comment_{comment.pk} p.edited").text.startswith("Last edited")


# viewer → edit page status for another user's comment
EDIT_MATRIX = {
    "anonymous": 302,
    "other": 200,  # the author
    "creator": 404,
    "blocked": 404,
    "muted": 404,
    "admin": 404,
}


@pytest.mark.parametrize("viewer", VIEWERS)
def test_only_the_author_may_edit(cast, viewer):
    people, work = cast
    comment, _ = comment_create(actor=people["other"], work=work, text="Mine")

    response = client_for(people, viewer).post(
        reverse("engagement:comment_edit", kwargs={"comment_id": comment.pk}), {"text": "Theirs"}
    )

    allowed = EDIT_MATRIX[viewer] == 200
    assert response.status_code == (302 if allowed else EDIT_MATRIX[viewer])
    comment.refresh_from_db()
    assert comment.content == ("<p>Theirs</p>" if allowed else "<p>Mine</p>")


# viewer → may delete another reader's comment on the creator's work
DELETE_MATRIX = {
    "anonymous": False,
    "other": True,  # the author
    "creator": True,  # comments on their work
    "blocked": False,
    "muted": False,
    "admin": True,
}


@pytest.mark.parametrize("viewer", VIEWERS)
def test_delete_permission_matrix(cast, viewer):
    people, work = cast
    comment, _ = comment_create(actor=people["other"], work=work, text="Delete me?")

    response = client_for(people, viewer).post(
        reverse("engagement:comment_delete", kwargs={"comment_id": comment.pk})
    )

    allowed = DELETE_MATRIX[viewer]
    assert Comment.objects.filter(pk=comment.pk).exists() is not allowed
    assert response.status_code == (302 if allowed or viewer == "anonymous" else 404)
    work.refresh_from_db()
    assert work.comment_count == (0 if allowed else 1)


def test_deleting_a_comment_with_replies_leaves_a_placeholder(cast, client):
    people, work = cast
    root, _ = comment_create(actor=people["other"], work=work, text="Root")
    reply = _reply(people, "creator", root, "Reply")
    from polis.engagement.comments import comment_delete

    comment_delete(actor=people["other"], comment=root)

    page = parse(client.get(work.get_absolute_url()))
    assert page.select_one(f"li#comment_{root.pk} p.placeholder").text == (
        "(Previous comment deleted.)"
    )
    assert page.select_one(f"li#comment_{reply.pk} blockquote").text == "Reply"
    work.refresh_from_db()
    assert work.comment_count == 1

    comment_delete(actor=people["creator"], comment=reply)
    assert Comment.objects.count() == 0  # the placeholder went with its last reply
