"""Comment threads: nesting, a reply's place in its thread, blocking, comments on chapters."""

import pytest

from polis.engagement.comments import (
    comment_create,
)
from polis.engagement.models import Comment
from tests.engagement.comment_support import _post, _reply
from tests.engagement.conftest import client_for
from tests.works.support import parse

pytestmark = pytest.mark.django_db


def test_replies_nest_five_levels_and_deeper_ones_continue_on_their_own_page(cast, client):
    people, work = cast
    comment, _ = comment_create(actor=people["other"], work=work, text="Level 1")
    chain = [comment]
    for level in range(2, 8):
        chain.append(
            _reply(people, "creator" if level % 2 else "other", chain[-1], f"Level {level}")
        )

    page = parse(client.get(work.get_absolute_url()))

    shown = [int(li.get("data-level")) for li in page.select("li.comment")]
    assert shown == [1, 2, 3, 4, 5]
    assert page.texts("li.comment blockquote.userstuff") == [f"Level {n}" for n in range(1, 6)]
    link = page.select_one("p.continue a")
    assert link.get("href") == f"/comments/{chain[4].pk}"

    thread_page = parse(client.get(link.get("href")))
    assert thread_page.texts("li.comment blockquote.userstuff") == [
        f"Level {n}" for n in range(5, 8)
    ]


def test_a_reply_redirects_to_its_place_in_the_thread(cast):
    people, work = cast
    root, _ = comment_create(actor=people["creator"], work=work, text="Thanks all")
    client = client_for(people, "other")

    response = _post(client, work, text="You're welcome", parent_id=root.pk)

    reply = Comment.objects.get(parent=root)
    assert reply.depth == 1 and reply.thread_id == root.pk
    assert response["Location"] == f"/works/{work.pk}?view_full_work=true&page=1#comment_{reply.pk}"
    page = parse(client.get(response["Location"]))
    nested = page.select_one(f"li#comment_{root.pk} ol.thread li#comment_{reply.pk}")
    assert nested.select_one("blockquote").text == "You're welcome"


def test_a_blocked_user_cannot_reply_to_the_blocker_anywhere(make_user, make_work):
    from polis.engagement.refusals import Blocked
    from polis.engagement.relations import block_add

    alice, bob, host = make_user("alice"), make_user("bob"), make_user("host")
    work = make_work(host)
    comment, _ = comment_create(actor=alice, work=work, text="My view")
    block_add(actor=alice, target=bob)

    with pytest.raises(Blocked, match="Sorry, you have been blocked by that user."):
        comment_create(actor=bob, work=work, text="Well actually", parent=comment)
    assert Comment.objects.count() == 1


def test_comments_on_a_chapter_show_on_that_chapter(make_user, make_work, client):
    writer, fan = make_user("writer"), make_user("fan")
    work = make_work(writer, chapters=2)
    first, second = list(work.chapters.order_by("position"))
    client.force_login(fan)

    response = _post(client, work, text="About chapter two", chapter_id=second.pk)

    comment = Comment.objects.get()
    assert comment.chapter == second
    assert response["Location"].startswith(second.get_absolute_url())
    assert parse(client.get(second.get_absolute_url())).texts("li.comment blockquote") == [
        "About chapter two"
    ]
    assert parse(client.get(first.get_absolute_url())).texts("li.comment blockquote") == []
    full = parse(client.get(f"{work.get_absolute_url()}?view_full_work=true"))
    assert full.select_one("li.comment h4.byline").text.startswith("fan on Chapter 2")
