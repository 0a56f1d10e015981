"""Comments: bad input (double posts, length, HTML, missing works) and abuse (rate limits, spam)."""

import pytest
from django.urls import reverse

from polis.engagement.comments import (
    comment_create,
)
from polis.engagement.models import Comment, CommentStatus
from polis.works.actions import work_delete
from tests.engagement.comment_support import GUEST, _post
from tests.engagement.conftest import client_for, flash, refusal
from tests.works.support import parse

pytestmark = pytest.mark.django_db


def test_double_submitted_comment_makes_one_record(cast):
    people, work = cast
    client = client_for(people, "other")

    first = _post(client, work)
    second = _post(client, work)

    assert Comment.objects.count() == 1
    assert first["Location"] == second["Location"]
    assert flash(client.get(second["Location"])) == [
        "Comment created!",
        "You already posted this comment; here it is.",
    ]


def test_an_over_long_comment_is_refused_keeping_the_text(cast):
    people, work = cast
    text = "word " * 2001  # 10,005 characters

    response = _post(client_for(people, "other"), work, text=text)

    assert response.status_code == 200
    page = parse(response)
    assert page.select_one("textarea#id_text").text.strip() == text.strip()
    assert page.select_one("#error li").text == (
        "Comment: Comments can be at most 10,000 characters long; this one has 10,005. "
        "Your text is kept below so you can shorten it."
    )
    assert Comment.objects.count() == 0


def test_a_comment_of_exactly_ten_thousand_characters_is_accepted(cast):
    people, work = cast

    _post(client_for(people, "other"), work, text="a" * 10_000)

    assert Comment.objects.count() == 1


def test_comment_html_is_sanitized(cast, client):
    people, work = cast
    _post(
        client_for(people, "other"),
        work,
        text='<p class="x" onclick="steal()">Hi <script>alert(1)</script><b>there</b></p>',
    )

    comment = Comment.objects.get()
    assert comment.content == "<p>Hi <b>there</b></p>"
    assert "alert(1)" not in client.get(work.get_absolute_url()).content.decode()


def test_comment_on_a_deleted_work_is_refused_clearly_keeping_the_text(cast):
    people, work = cast
    client = client_for(people, "other")
    url = reverse("engagement:comment_create", kwargs={"work_id": work.pk})
    work_delete(actor=people["creator"], work=work)

    response = client.post(url, {"text": "Still here?"})

    assert response.status_code == 404
    page = parse(response)
    assert refusal(response) == (
        "Sorry, this work has been deleted or is not available, so it can't take comments. "
        "Your comment was not posted."
    )
    assert page.select_one("textarea#kept_text").text == "Still here?"


def test_comment_on_a_draft_is_refused_like_a_missing_work(make_user, make_work, client):
    writer, fan = make_user("writer"), make_user("fan")
    draft = make_work(writer, post=False)
    client.force_login(fan)

    response = _post(client, draft)

    assert response.status_code == 404
    assert Comment.objects.count() == 0


def test_guests_are_rate_limited_with_retry_after(cast, settings):
    settings.POLIS_COMMENT_RATE_GUEST = "2/h"
    people, work = cast
    client = client_for(people, "anonymous")

    statuses = [_post(client, work, text=f"Note {n}", **GUEST).status_code for n in range(3)]

    assert statuses == [302, 302, 429]
    response = _post(client, work, text="Kept text", **GUEST)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 3600
    assert parse(response).select_one("textarea#id_text").text == "Kept text"
    assert Comment.objects.count() == 2


def test_new_accounts_are_rate_limited_but_established_ones_are_not(cast, settings):
    settings.POLIS_COMMENT_RATE_NEW_ACCOUNT = "1/h"
    people, work = cast
    newcomer = client_for(people, "other")

    assert _post(newcomer, work, text="One").status_code == 302
    assert _post(newcomer, work, text="Two").status_code == 429

    from datetime import timedelta

    from django.utils import timezone

    people["admin"].date_joined = timezone.now() - timedelta(days=30)
    people["admin"].save(update_fields=["date_joined"])
    veteran = client_for(people, "admin")
    assert [_post(veteran, work, text=f"Old {n}").status_code for n in range(3)] == [302] * 3


def test_a_comment_with_many_links_is_held_for_review(cast, client):
    people, work = cast
    links = " ".join(f"https://spam.example/{n}" for n in range(4))

    _post(client_for(people, "other"), work, text=f"Buy now {links}")

    comment = Comment.objects.get()
    assert comment.status == CommentStatus.SPAM
    work.refresh_from_db()
    assert work.comment_count == 0
    assert parse(client.get(work.get_absolute_url())).select("li.comment") == []


def test_the_same_text_sprayed_over_works_is_held(make_user, make_work):
    spammer = make_user("spammer")
    works = [make_work(title=f"W{n}") for n in range(3)]
    text = "Visit my amazing site for more stories like this one"

    results = [comment_create(actor=spammer, work=w, text=text)[0].status for w in works]

    assert results == [CommentStatus.PUBLISHED, CommentStatus.PUBLISHED, CommentStatus.SPAM]


def test_repetitive_text_is_held(cast):
    people, work = cast

    comment, _ = comment_create(actor=people["other"], work=work, text="buy " * 40)

    assert comment.status == CommentStatus.SPAM
