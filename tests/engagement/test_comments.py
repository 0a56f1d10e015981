"""Comments on the work page: who may post, threads, edits, deletes, settings, abuse."""

import pytest
from django.urls import reverse

from polis.engagement.comments import (
    comment_create,
    comment_settings_update,
    comment_thread_freeze,
)
from polis.engagement.models import Comment, CommentStatus
from polis.works.actions import work_delete
from tests.engagement.conftest import VIEWERS, client_for, flash, refusal
from tests.works.support import parse

pytestmark = pytest.mark.django_db

GUEST = {"name": "Wanderer", "email": "wanderer@example.org"}


def _post(client, work, text="<p>Loved the lamp.</p>", **extra):
    url = reverse("engagement:comment_create", kwargs={"work_id": work.pk})
    return client.post(url, {"text": text, **extra})


# ---------------------------------------------------------------- who may comment

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


# ---------------------------------------------------------------- guests


def test_guest_comment_needs_a_name_and_address_and_keeps_the_text(cast):
    people, work = cast

    response = _post(client_for(people, "anonymous"), work, text="Hello there", name="", email="")

    assert response.status_code == 200
    page = parse(response)
    assert page.select_one("textarea#id_text").text == "Hello there"
    assert set(page.texts("#error li")) == {
        "Guest name: This field is required.",
        "Guest e-mail: This field is required.",
    }
    assert Comment.objects.count() == 0


@pytest.mark.parametrize("name", ["reader", "READER", "  Writer ", "bore (Guest)"])
def test_guests_cannot_use_the_name_of_a_user_or_pseud(cast, name):
    people, work = cast

    response = _post(
        client_for(people, "anonymous"), work, text="Fake", name=name, email="x@example.org"
    )

    assert response.status_code == 200
    assert (
        parse(response)
        .select_one("#error li")
        .text.startswith("Guest name: That name belongs to someone with an account here.")
    )
    assert Comment.objects.count() == 0


def test_guest_comment_shows_the_name_marked_as_guest_and_never_the_address(cast, client):
    people, work = cast
    _post(client_for(people, "anonymous"), work, **GUEST)

    response = client.get(work.get_absolute_url())

    assert parse(response).select_one("li.comment h4.byline .guest").text == "Wanderer (Guest)"
    assert "wanderer@example.org" not in response.content.decode()


# ---------------------------------------------------------------- bad input and abuse


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


# ---------------------------------------------------------------- threads


def _reply(people, viewer, parent, text):
    comment, _ = comment_create(actor=people[viewer], work=parent.work, text=text, parent=parent)
    return comment


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


# ---------------------------------------------------------------- edit and delete


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


# ---------------------------------------------------------------- creators' controls

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


# ---------------------------------------------------------------- muting


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
