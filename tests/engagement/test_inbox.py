"""The inbox: comment and reply notifications, replying from it, read/unread, delete, count."""

import pytest
from django.urls import reverse

from polis.engagement.comments import comment_create
from polis.engagement.models import Comment, Notification, NotificationKind
from tests.engagement.conftest import VIEWERS, client_for
from tests.works.support import parse

pytestmark = pytest.mark.django_db


def _inbox(client, username="writer"):
    return client.get(reverse("engagement:inbox", kwargs={"username": username}))


def test_creators_hear_of_comments_and_authors_of_replies(cast):
    people, work = cast
    root, _ = comment_create(actor=people["other"], work=work, text="Lovely")
    comment_create(actor=people["admin"], work=work, text="Agreed", parent=root)

    creator = list(Notification.objects.filter(recipient=people["creator"]).order_by("pk"))
    reader = list(Notification.objects.filter(recipient=people["other"]))

    assert [(n.kind, n.text) for n in creator] == [
        (NotificationKind.COMMENT, "reader left a comment on “The Lighthouse”."),
        (NotificationKind.COMMENT, "admin left a comment on “The Lighthouse”."),
    ]
    assert [(n.kind, n.text) for n in reader] == [
        (NotificationKind.REPLY, "admin replied to your comment on “The Lighthouse”.")
    ]


def test_nobody_is_told_of_their_own_comment_and_muters_hear_nothing(cast):
    people, work = cast
    comment_create(actor=people["creator"], work=work, text="Author's note")
    comment_create(actor=people["muted"], work=work, text="Hm")

    assert Notification.objects.count() == 0


def test_unread_count_in_the_header(cast):
    people, work = cast
    comment_create(actor=people["other"], work=work, text="One")
    comment_create(actor=people["admin"], work=work, text="Two")
    client = client_for(people, "creator")

    link = parse(client.get("/")).select_one("a#inbox_link")

    assert link.text == "Inbox (2 unread)"
    assert link.get("href") == "/users/writer/inbox"


def test_mark_read_unread_and_delete(cast):
    people, work = cast
    for text in ("One", "Two", "Three"):
        comment_create(actor=people["other"], work=work, text=text)
    first, second, third = Notification.objects.order_by("pk")
    client = client_for(people, "creator")
    url = reverse("engagement:inbox_update", kwargs={"username": "writer"})

    client.post(url, {"ids": [first.pk, second.pk], "action": "read"})
    assert list(Notification.objects.order_by("pk").values_list("read", flat=True)) == [
        True,
        True,
        False,
    ]
    client.post(url, {"ids": [second.pk], "action": "unread"})
    client.post(url, {"ids": [third.pk], "action": "delete"})

    assert list(Notification.objects.order_by("pk").values_list("pk", "read")) == [
        (first.pk, True),
        (second.pk, False),
    ]
    page = parse(_inbox(client))
    assert [li.get("class") for li in page.select("ol.inbox li.notification")] == [
        "notification unread",
        "notification read",
    ]
    unread = parse(
        client.get(reverse("engagement:inbox", kwargs={"username": "writer"}), {"filter": "unread"})
    )
    assert [li.get("id") for li in unread.select("li.notification")] == [
        f"notification_{second.pk}"
    ]


def test_someone_elses_notifications_cannot_be_changed(cast):
    people, work = cast
    comment_create(actor=people["other"], work=work, text="One")
    note = Notification.objects.get()

    client_for(people, "other").post(
        reverse("engagement:inbox_update", kwargs={"username": "reader"}),
        {"ids": [note.pk], "action": "delete"},
    )

    assert Notification.objects.filter(pk=note.pk, read=False).exists()


# viewer → status of the creator's inbox
INBOX_MATRIX = {
    "anonymous": 302,
    "other": 404,
    "creator": 200,
    "blocked": 404,
    "muted": 404,
    "admin": 404,
}


@pytest.mark.parametrize("viewer", VIEWERS)
def test_an_inbox_is_its_owners_only(cast, viewer):
    people, _ = cast
    assert _inbox(client_for(people, viewer)).status_code == INBOX_MATRIX[viewer]


def test_replying_from_the_inbox(cast):
    people, work = cast
    comment, _ = comment_create(actor=people["other"], work=work, text="Question?")
    note = Notification.objects.get(recipient=people["creator"])
    client = client_for(people, "creator")
    page = parse(_inbox(client))
    form = page.select_one(f"li#notification_{note.pk} details.reply form")

    response = client.post(form.get("action"), {"text": "Answer!"})

    reply = Comment.objects.get(parent=comment)
    assert response.status_code == 302
    assert reply.user == people["creator"] and reply.content == "<p>Answer!</p>"
    note.refresh_from_db()
    assert note.read is True
    assert Notification.objects.get(recipient=people["other"]).kind == NotificationKind.REPLY


def test_a_blocked_user_replying_from_the_inbox_is_refused(make_user, make_work, client):
    from polis.engagement.relations import block_add

    host, alice, bob = make_user("host"), make_user("alice"), make_user("bob")
    work = make_work(bob)
    question, _ = comment_create(actor=alice, work=work, text="Question")
    comment_create(actor=bob, work=work, text="Reply to alice", parent=question)
    block_add(actor=bob, target=alice)
    note = Notification.objects.get(recipient=alice)
    client.force_login(alice)

    response = client.post(
        reverse("engagement:inbox_reply", kwargs={"username": "alice", "notification_id": note.pk}),
        {"text": "Ha"},
    )

    assert response.status_code == 403
    assert Comment.objects.count() == 2
    del host


def test_inbox_hides_notifications_of_muted_users(cast):
    from polis.engagement.relations import mute_add

    people, work = cast
    comment_create(actor=people["admin"], work=work, text="Hi")
    mute_add(actor=people["creator"], target=people["other"])
    comment_create(actor=people["other"], work=work, text="Muted now")

    page = parse(_inbox(client_for(people, "creator")))

    assert page.texts("ol.inbox li.notification label.note") == [
        "Unread: admin left a comment on “The Lighthouse”."
    ]
