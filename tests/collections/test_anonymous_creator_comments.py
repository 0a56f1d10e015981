"""A creator commenting on their own work in an anonymous collection is "Anonymous Creator"."""

import pytest

from polis.collections.actions import items
from polis.collections.actions.collections import collection_reveal
from polis.engagement.comments import comment_create
from polis.engagement.digests import digests_send
from polis.engagement.models import Comment, Notification
from tests.api.conftest import ApiClient
from tests.works.support import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(make_collection, make_user, make_work):
    """writer's work in an anonymous collection; reader left a comment, writer replies."""
    owner = make_user("owner")
    fest = make_collection(owner, name="fest", anonymous=True)
    writer = make_user("writer")
    work = make_work(writer, title="Masks")
    items.item_add(actor=writer, collection=fest, work=work)
    reader = make_user("reader")
    question, _ = comment_create(actor=reader, work=work, text="Who wrote this?")
    answer, _ = comment_create(actor=writer, work=work, text="Thank you!", parent=question)
    own, _ = comment_create(actor=writer, work=work, text="A note from me.")
    return fest, owner, work, writer, reader, question, answer, own


def test_the_comment_list_shows_anonymous_creator(setting, client):
    _, _, work, _, _, question, answer, own = setting
    response = client.get(f"/comments/{question.pk}")
    page = parse(response)
    assert page.texts(f"li#comment_{question.pk} h4.byline a") == ["reader"]
    assert page.texts(f"li#comment_{answer.pk} h4.byline span.guest") == ["Anonymous Creator"]
    assert "Anonymous Creator" in page.select(f"li#comment_{answer.pk} h4.byline")[0].text
    assert "writer" not in page.select(f"li#comment_{answer.pk} h4.byline")[0].text
    assert page.select(f"li#comment_{answer.pk} h4.byline a") == []
    assert "/users/writer" not in response.content.decode()


def test_inbox_notices_and_emails_to_others_say_anonymous_creator(
    setting, client, mailoutbox, django_capture_on_commit_callbacks
):
    _, _, work, writer, reader, question, answer, _ = setting
    (note,) = Notification.objects.filter(recipient=reader)
    assert (note.kind, note.text, note.actor_id) == (
        "reply",
        "Anonymous Creator replied to your comment on “Masks”.",
        None,
    )
    client.force_login(reader)
    page = parse(client.get("/users/reader/inbox"))
    assert page.texts("li.notification label.note") == [
        "Unread: Anonymous Creator replied to your comment on “Masks”."
    ]
    assert page.texts("li.notification label") == [
        "Unread: Anonymous Creator replied to your comment on “Masks”.",
        "Reply to Anonymous Creator",
    ]
    assert "writer" not in "".join(page.texts("li.notification"))
    digests_send()
    (mail,) = [m for m in mailoutbox if m.to == ["reader@example.org"]]
    assert "Anonymous Creator replied to your comment on “Masks”." in mail.body
    assert "writer" not in mail.body


def test_the_api_names_anonymous_creator_without_a_username(setting, token_for):
    _, _, work, _, _, question, answer, own = setting
    response = ApiClient().get(f"/works/{work.pk}/comments")
    assert response.status_code == 200
    authors = {}

    def walk(nodes):
        for node in nodes:
            authors[node["id"]] = node["author"]
            walk(node.get("replies", []))

    walk(response.json()["results"])
    anonymous = {"name": "Anonymous Creator", "username": None, "guest": False}
    assert authors == {
        question.pk: {"name": "reader", "username": "reader", "guest": False},
        answer.pk: anonymous,
        own.pk: anonymous,
    }


def test_after_the_reveal_the_creator_is_named_again(setting, client):
    fest, owner, work, _, _, _, answer, _ = setting
    collection_reveal(actor=owner, collection=fest)
    comment = Comment.objects.get(pk=answer.pk)
    assert (comment.author_name, comment.shown_pseud.name) == ("writer", "writer")
    page = parse(client.get(f"/comments/{answer.pk}"))
    assert page.texts(f"li#comment_{answer.pk} h4.byline a") == ["writer"]


def test_other_people_and_works_outside_anonymous_collections_keep_their_names(
    setting, make_work, make_user
):
    _, _, work, writer, reader, question, _, _ = setting
    plain = make_work(writer, title="Open Face")
    mine, _ = comment_create(actor=writer, work=plain, text="Hello.")
    assert Comment.objects.get(pk=mine.pk).author_name == "writer"
    assert Comment.objects.get(pk=question.pk).author_name == "reader"
