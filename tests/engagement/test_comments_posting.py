"""Comments on the work page: who may post one, by viewer and by the work's setting."""

import pytest

from polis.engagement.comments import (
    comment_settings_update,
)
from polis.engagement.models import Comment
from tests.engagement.comment_support import GUEST, _post
from tests.engagement.conftest import VIEWERS, client_for, refusal
from tests.works.support import parse

pytestmark = pytest.mark.django_db


# viewer → (status, comments made)
POST_MATRIX = {
    "anonymous": (302, 1),
    "other": (302, 1),
    "creator": (302, 1),
    "blocked": (403, 0),
    "muted": (302, 1),
    "admin": (302, 1),
}


@pytest.mark.parametrize("viewer", VIEWERS)
def test_posting_a_comment_permission_matrix(cast, viewer):
    people, work = cast
    extra = GUEST if viewer == "anonymous" else {}

    response = _post(client_for(people, viewer), work, **extra)

    status, made = POST_MATRIX[viewer]
    assert response.status_code == status
    assert Comment.objects.filter(work=work).count() == made
    work.refresh_from_db()
    assert work.comment_count == made
    if viewer == "blocked":
        assert refusal(response) == (
            "Sorry, you have been blocked by one of the creators of this work."
        )


# (setting, viewer) → comment made
SETTING_MATRIX = {
    ("registered", "anonymous"): False,
    ("registered", "other"): True,
    ("registered", "creator"): True,
    ("registered", "admin"): True,
    ("nobody", "anonymous"): False,
    ("nobody", "other"): False,
    ("nobody", "creator"): True,
    ("nobody", "admin"): True,
}


@pytest.mark.parametrize(("setting", "viewer"), list(SETTING_MATRIX))
def test_work_comment_settings_decide_who_may_comment(cast, setting, viewer):
    people, work = cast
    comment_settings_update(actor=people["creator"], work=work, permission=setting, moderated=False)
    extra = GUEST if viewer == "anonymous" else {}

    response = _post(client_for(people, viewer), work, **extra)

    made = SETTING_MATRIX[setting, viewer]
    assert Comment.objects.filter(work=work).exists() is made
    if not made:
        assert response.status_code == 403
        assert refusal(response) in {
            "Sorry, this work doesn't allow comments.",
            "Sorry, this work doesn't allow non-Archive users to comment.",
        }


def test_the_page_says_when_guests_may_not_comment(cast, client):
    people, work = cast
    comment_settings_update(
        actor=people["creator"], work=work, permission="registered", moderated=False
    )

    page = parse(client.get(work.get_absolute_url()))

    assert page.select("form#comment_form") == []
    assert page.select_one("#comments_placeholder p.notice").text.startswith(
        "Sorry, this work doesn't allow non-Archive users to comment."
    )
