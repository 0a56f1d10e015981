"""Notices are checked when read: inbox page, inbox API, unread count and digest say what the
reader may see now, not what was true when the notice was written."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from polis.collections.actions.collections import (
    CollectionInput,
    collection_create,
    collection_reveal,
)
from polis.collections.actions.items import item_add
from polis.engagement.comments import comment_create
from polis.engagement.models import Notification
from polis.engagement.notifications import unread_count
from polis.engagement.subscriptions import subscription_create
from polis.works.actions import ChapterInput, chapter_add, work_set_hidden
from polis.works.models import Work
from tests.works.support import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def posting(django_capture_on_commit_callbacks):
    def run(action, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(**kwargs)

    return run


@pytest.fixture
def told(make_user, make_work, posting):
    """A fan told of a new chapter of "Tides" by writer, before anything was hidden."""
    writer, fan = make_user("writer"), make_user("fan")
    work = make_work(writer, title="Tides")
    subscription_create(actor=fan, target=work)
    posting(chapter_add, actor=writer, work=work, data=ChapterInput(text="<p>More</p>"))
    assert Notification.objects.get(recipient=fan).text == "writer posted Chapter 2 of “Tides”."
    return writer, fan, work


def _collection(owner, **fields):
    return collection_create(actor=owner, data=CollectionInput(name="fest", title="Fest", **fields))


def _page_texts(user) -> list[str]:
    client = Client()
    client.force_login(user)
    page = parse(client.get(reverse("engagement:inbox", kwargs={"username": user.username})))
    return page.texts("ol.inbox li.notification label.note")


def _api_inbox(api_for, user) -> dict:
    return api_for(user).get("/inbox").json()


def _digest(user) -> str | None:
    mail.outbox.clear()
    call_command("send_digests", verbosity=0)
    bodies = [m.body for m in mail.outbox if m.to == [user.email]]
    return bodies[0] if bodies else None


def test_a_notice_written_before_its_work_turned_anonymous_names_nobody(told, make_user, api_for):
    writer, fan, work = told
    item_add(actor=writer, collection=_collection(make_user("owner"), anonymous=True), work=work)

    expected = "Anonymous posted Chapter 2 of “Tides”."
    assert _page_texts(fan) == [f"Unread: {expected}"]
    assert [n["text"] for n in _api_inbox(api_for, fan)["results"]] == [expected]
    digest = _digest(fan)
    assert f"- {expected}" in digest
    assert "writer" not in digest


def test_a_notice_about_a_work_now_unrevealed_is_shown_nowhere_until_the_reveal(
    told, make_user, api_for
):
    writer, fan, work = told
    owner = make_user("owner")
    fest = _collection(owner, unrevealed=True)
    item_add(actor=writer, collection=fest, work=work)
    note = Notification.objects.get(recipient=fan)

    assert _page_texts(fan) == []
    assert unread_count(fan) == 0
    assert _api_inbox(api_for, fan) == {
        "count": 0,
        "unread": 0,
        "page": 1,
        "per_page": 20,
        "results": [],
    }
    assert api_for(fan).patch(f"/inbox/{note.pk}", {"read": True}).status_code == 404
    assert _digest(fan) is None

    collection_reveal(actor=owner, collection=fest)
    assert _page_texts(fan) == ["Unread: writer posted Chapter 2 of “Tides”."]
    assert "- writer posted Chapter 2 of “Tides”." in _digest(fan)


def test_a_notice_about_a_work_hidden_by_staff_or_back_in_draft_is_gone(told, make_user, api_for):
    writer, fan, work = told
    admin = make_user("admin", is_staff=True, is_superuser=True)
    work_set_hidden(actor=admin, work=work, hidden=True)
    assert (_page_texts(fan), unread_count(fan), _api_inbox(api_for, fan)["count"]) == ([], 0, 0)

    work_set_hidden(actor=admin, work=work, hidden=False)
    assert unread_count(fan) == 1
    Work.objects.filter(pk=work.pk).update(posted=False)
    assert (_page_texts(fan), unread_count(fan), _api_inbox(api_for, fan)["count"]) == ([], 0, 0)


def test_a_reply_by_the_creator_reads_anonymous_creator_once_the_work_is_anonymous(
    make_user, make_work, api_for
):
    writer, fan = make_user("writer"), make_user("fan")
    work = make_work(writer, title="Tides")
    question, _ = comment_create(actor=fan, work=work, text="Why?")
    comment_create(actor=writer, work=work, text="Because.", parent=question)
    assert Notification.objects.get(recipient=fan).text == (
        "writer replied to your comment on “Tides”."
    )

    item_add(actor=writer, collection=_collection(make_user("owner"), anonymous=True), work=work)

    expected = "Anonymous Creator replied to your comment on “Tides”."
    assert _page_texts(fan) == [f"Unread: {expected}"]
    assert [n["text"] for n in _api_inbox(api_for, fan)["results"]] == [expected]
    assert f"- {expected}" in _digest(fan)


def test_the_inbox_page_asks_a_fixed_number_of_queries(
    make_user, make_work, posting, django_assert_num_queries
):
    fan = make_user("fan")
    for number in range(4):
        writer = make_user(f"writer{number}")
        work = make_work(writer, title=f"Work {number}")
        subscription_create(actor=fan, target=work)
        posting(chapter_add, actor=writer, work=work, data=ChapterInput(text="<p>More</p>"))
        question, _ = comment_create(actor=fan, work=work, text="Why?")
        comment_create(actor=writer, work=work, text="Because.", parent=question)
    client = Client()
    client.force_login(fan)
    url = reverse("engagement:inbox", kwargs={"username": "fan"})

    # session, user, the inbox's owner, mutes, count, page, the works' creators, the
    # anonymous-creator marks, the comments' chapters and the notices' chapters (each with
    # its number), then the header's unread count (mutes, count), the reading preferences:
    # 13 for any page.
    with django_assert_num_queries(13):
        response = client.get(url)
    assert len(parse(response).select("ol.inbox li.notification")) == 8
