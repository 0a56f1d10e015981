"""Subscriptions: one notification per event per subscriber, never for what they can't see."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from polis.engagement.comments import comment_create
from polis.engagement.models import Notification, Subscription
from polis.engagement.relations import mute_add
from polis.engagement.subscriptions import subscription_create
from polis.works.actions import ChapterInput, chapter_add, chapter_post, work_post
from polis.works.series import series_add_work, series_create
from tests.engagement.conftest import VIEWERS, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def posting(django_capture_on_commit_callbacks):
    """Run the follow-ups queued on commit (the tasks run at once in these tests)."""

    def run(action, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(**kwargs)

    return run


def _texts(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user).order_by("pk").values_list("text", flat=True)
    )


def test_user_subscribers_hear_of_new_works_and_chapters(make_user, make_work, posting):
    writer, fan = make_user("writer"), make_user("fan")
    subscription_create(actor=fan, target=writer)

    with_callbacks = make_work_posted(posting, make_work, writer, "Tides")
    posting(
        chapter_add,
        actor=writer,
        work=with_callbacks,
        data=ChapterInput(text="<p>More</p>", title="Ebb"),
    )

    assert _texts(fan) == [
        "writer posted a new work: “Tides”.",
        "writer posted Chapter 2: Ebb of “Tides”.",
    ]
    assert _texts(writer) == []


def make_work_posted(posting, make_work, writer, title):
    draft = make_work(writer, title=title, post=False)
    return posting(work_post, actor=writer, work=draft)


def test_one_notification_however_many_subscriptions_match(make_user, make_work, posting):
    writer, fan = make_user("writer"), make_user("fan")
    work = make_work(writer, title="Tides")
    series = series_create(actor=writer, title="Sea")
    series_add_work(actor=writer, series=series, work=work)
    for target in (writer, work, series):
        subscription_create(actor=fan, target=target)

    posting(chapter_add, actor=writer, work=work, data=ChapterInput(text="<p>More</p>"))

    assert _texts(fan) == ["writer posted Chapter 2 of “Tides”."]


def test_drafts_and_draft_chapters_notify_nobody(make_user, make_work, posting):
    writer, fan = make_user("writer"), make_user("fan")
    work = make_work(writer, title="Tides")
    subscription_create(actor=fan, target=writer)
    subscription_create(actor=fan, target=work)

    posting(make_work, creator=writer, title="Secret", post=False)
    chapter = posting(
        chapter_add, actor=writer, work=work, data=ChapterInput(text="<p>Wip</p>"), post=False
    )
    assert _texts(fan) == []

    posting(chapter_post, actor=writer, chapter=chapter)
    assert _texts(fan) == ["writer posted Chapter 2 of “Tides”."]


def test_a_new_chapter_is_announced_with_the_number_readers_see(
    make_user, make_work, posting, client
):
    writer, fan = make_user("writer"), make_user("fan")
    work = make_work(writer, title="Tides")
    subscription_create(actor=fan, target=work)
    posting(chapter_add, actor=writer, work=work, data=ChapterInput(text="<p>W</p>"), post=False)

    posting(chapter_add, actor=writer, work=work, data=ChapterInput(text="<p>Next</p>"))

    assert _texts(fan) == ["writer posted Chapter 2 of “Tides”."]
    client.force_login(fan)
    page = client.get(reverse("engagement:inbox", kwargs={"username": "fan"})).content.decode()
    assert "Read Chapter 2</a>" in page


def test_series_subscribers_hear_of_works_joining_the_series(make_user, make_work, posting):
    writer, fan = make_user("writer"), make_user("fan")
    series = series_create(actor=writer, title="Sea")
    subscription_create(actor=fan, target=series)
    draft = make_work(writer, title="Later", post=False)
    posting(series_add_work, actor=writer, series=series, work=draft)
    assert _texts(fan) == []

    posting(work_post, actor=writer, work=draft)
    posting(series_add_work, actor=writer, series=series, work=make_work(writer, title="Now"))

    assert _texts(fan) == [
        "writer posted a new work: “Later”.",
        "“Now” by writer is now part of “Sea”.",
    ]


def test_users_who_muted_the_creator_hear_nothing(make_user, make_work, posting):
    writer, fan = make_user("writer"), make_user("fan")
    subscription_create(actor=fan, target=writer)
    mute_add(actor=fan, target=writer)

    make_work_posted(posting, make_work, writer, "Tides")

    assert _texts(fan) == []


def test_anonymous_works_never_name_their_creators(make_user, make_work, posting, monkeypatch):
    writer, fan, series_fan = make_user("writer"), make_user("fan"), make_user("seriesfan")
    series = series_create(actor=writer, title="Sea")
    subscription_create(actor=fan, target=writer)
    subscription_create(actor=series_fan, target=series)
    monkeypatch.setattr("polis.engagement.notifications.creators_hidden", lambda work: True)
    draft = make_work(writer, title="Masked", post=False)
    series_add_work(actor=writer, series=series, work=draft)

    posting(work_post, actor=writer, work=draft)

    assert _texts(fan) == []  # following the creator would reveal them
    assert _texts(series_fan) == ["Anonymous posted a new work: “Masked”."]
    assert Notification.objects.get(recipient=series_fan).actor_id is None


def test_unrevealed_works_are_announced_only_when_revealed(
    make_user, make_work, posting, monkeypatch
):
    writer, fan = make_user("writer"), make_user("fan")
    subscription_create(actor=fan, target=writer)
    draft = make_work(writer, title="Gift", post=False)
    monkeypatch.setattr("polis.engagement.notifications.hidden_from_readers", lambda work: True)

    posting(work_post, actor=writer, work=draft)
    assert _texts(fan) == []

    monkeypatch.setattr("polis.engagement.notifications.hidden_from_readers", lambda work: False)
    from polis.engagement.tasks import after_work_posted

    posting(after_work_posted, work=draft)  # what the reveal calls
    assert _texts(fan) == ["writer posted a new work: “Gift”."]


def test_new_chapters_of_a_brand_new_work_are_one_notification(make_user, posting):
    from polis.works.actions import WorkInput, work_create

    writer, fan = make_user("writer"), make_user("fan")
    subscription_create(actor=fan, target=writer)

    def post_whole_work():
        work = work_create(
            actor=writer,
            pseuds=[writer.pseuds.get()],
            data=WorkInput(
                title="All at once",
                rating="General Audiences",
                warnings=["No Archive Warnings Apply"],
                fandoms=["Original Work"],
            ),
            chapter=ChapterInput(text="<p>One</p>"),
            post=True,
        )
        chapter_add(actor=writer, work=work, data=ChapterInput(text="<p>Two</p>"))
        return work

    from django.db import transaction

    def atomic():
        with transaction.atomic():
            return post_whole_work()

    posting(atomic)

    assert _texts(fan) == ["writer posted a new work: “All at once”."]


# viewer → may subscribe to the creator's work
SUBSCRIBE_MATRIX = {
    "anonymous": (302, 0),
    "other": (302, 1),
    "creator": (302, 1),
    "blocked": (302, 1),
    "muted": (302, 1),
    "admin": (302, 1),
}


@pytest.mark.parametrize("viewer", VIEWERS)
def test_subscribe_button_permission_matrix(cast, viewer):
    people, work = cast

    response = client_for(people, viewer).post(
        reverse("engagement:subscribe"), {"type": "work", "id": str(work.pk)}
    )

    status, count = SUBSCRIBE_MATRIX[viewer]
    assert response.status_code == status
    assert Subscription.objects.count() == count
    if viewer == "anonymous":
        assert response["Location"].startswith("/accounts/login/")


def test_subscribing_to_a_draft_is_not_found(make_user, make_work, client):
    writer, fan = make_user("writer"), make_user("fan")
    draft = make_work(writer, post=False)
    client.force_login(fan)

    response = client.post(reverse("engagement:subscribe"), {"type": "work", "id": str(draft.pk)})

    assert response.status_code == 404
    assert Subscription.objects.count() == 0


def test_subscribing_twice_keeps_one_and_unsubscribe_removes_it(cast):
    people, work = cast
    client = client_for(people, "other")
    data = {"type": "user", "id": "writer"}

    client.post(reverse("engagement:subscribe"), data)
    client.post(reverse("engagement:subscribe"), data)
    sub = Subscription.objects.get()
    assert sub.target_user == people["creator"]

    stranger = client_for(people, "admin").post(
        reverse("engagement:unsubscribe", kwargs={"subscription_id": sub.pk})
    )
    assert stranger.status_code == 404
    client.post(reverse("engagement:unsubscribe", kwargs={"subscription_id": sub.pk}))
    assert Subscription.objects.count() == 0


def test_digest_sends_one_email_per_user_with_every_unsent_notification(
    make_user, make_work, posting
):
    writer, fan, quiet = make_user("writer"), make_user("fan"), make_user("quiet")
    quiet.notification_emails = False
    quiet.save(update_fields=["notification_emails"])
    for reader in (fan, quiet):
        subscription_create(actor=reader, target=writer)
    make_work_posted(posting, make_work, writer, "One")
    make_work_posted(posting, make_work, writer, "Two")
    mail.outbox.clear()

    call_command("send_digests", verbosity=0)
    call_command("send_digests", verbosity=0)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["fan@example.org"]
    assert message.subject == "[Polis] 2 new notifications"
    assert "writer posted a new work: “One”." in message.body
    assert "writer posted a new work: “Two”." in message.body
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0


def test_notifications_queue_one_deferred_digest_on_the_database_backend(
    cast, settings, django_capture_on_commit_callbacks
):
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.POLIS_DIGEST_MINUTES = 60
    people, work = cast
    with django_capture_on_commit_callbacks(execute=True):
        comment_create(actor=people["other"], work=work, text="One")
    with django_capture_on_commit_callbacks(execute=True):
        comment_create(actor=people["admin"], work=work, text="Two")

    queued = list(DBTaskResult.objects.filter(task_path__endswith="send_digests"))
    assert len(queued) == 1  # one digest run per period, however many notifications
    assert timezone.now() < queued[0].run_after <= timezone.now() + datetime.timedelta(hours=1)


def test_the_digest_can_be_turned_off_from_the_inbox(cast):
    people, _ = cast
    client = client_for(people, "other")

    client.post(
        reverse("engagement:inbox_settings", kwargs={"username": "reader"}),
        {"notification_emails": "0"},
    )

    people["other"].refresh_from_db()
    assert people["other"].notification_emails is False


def test_a_reader_subscribes_to_a_user_from_their_profile_page(client, make_user):
    from polis.engagement.models import Subscription

    writer, reader = make_user("profilewriter"), make_user("profilereader")
    client.force_login(reader)
    page = client.get(f"/users/{writer.username}").content.decode()
    assert f"Subscribe to {writer.username}" in page
    assert f'href="/users/{writer.username}/mute"' in page

    response = client.post(
        "/subscriptions",
        {"type": "user", "id": writer.username, "next": f"/users/{writer.username}"},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/users/{writer.username}"
    assert list(
        Subscription.objects.filter(user=reader).values_list("target_user__username", flat=True)
    ) == [writer.username]


def _anonymous_fest(make_user):
    from polis.collections.actions.collections import CollectionInput, collection_create

    data = CollectionInput(name="fest", title="Fest", anonymous=True)
    return collection_create(actor=make_user("owner"), data=data)


def _inbox_texts(user) -> list[str]:
    from polis.engagement.notices import notices_prepare
    from polis.engagement.notifications import inbox_of

    return [note.shown_text for note in notices_prepare(inbox_of(user))]


def test_a_named_series_does_not_announce_an_anonymous_work(make_user, make_work, posting):
    from polis.collections.actions.items import item_add

    alice, bea, fan = make_user("alice"), make_user("bea"), make_user("fan")
    series = series_create(actor=alice, title="Sea")
    series_add_work(actor=alice, series=series, work=make_work(alice, title="Shore"))
    subscription_create(actor=fan, target=series)
    masked = make_work(bea, title="Masked", post=False)
    item_add(actor=bea, collection=_anonymous_fest(make_user), work=masked)
    posting(series_add_work, actor=bea, series=series, work=masked)
    posting(work_post, actor=bea, work=masked)
    posting(chapter_add, actor=bea, work=masked, data=ChapterInput(text="<p>More</p>"))

    assert _texts(fan) == []  # "Sea" by alice would tie the work to its creators


def test_a_series_notice_is_withdrawn_once_the_series_stops_showing_the_work(
    make_user, make_work, posting
):
    from polis.collections.actions.items import item_add

    alice, bea, fan = make_user("alice"), make_user("bea"), make_user("fan")
    series = series_create(actor=alice, title="Sea")
    series_add_work(actor=alice, series=series, work=make_work(alice, title="Shore"))
    subscription_create(actor=fan, target=series)
    masked = make_work(bea, title="Masked")
    posting(series_add_work, actor=bea, series=series, work=masked)
    assert _inbox_texts(fan) == ["“Masked” by bea is now part of “Sea”."]

    item_add(actor=bea, collection=_anonymous_fest(make_user), work=masked)

    assert _inbox_texts(fan) == []


def test_a_series_of_anonymous_works_announces_them_as_anonymous(make_user, make_work, posting):
    from polis.collections.actions.items import item_add

    bea, fan = make_user("bea"), make_user("fan")
    series = series_create(actor=bea, title="Veil")
    subscription_create(actor=fan, target=series)
    hidden = make_work(bea, title="Hidden")
    item_add(actor=bea, collection=_anonymous_fest(make_user), work=hidden)
    posting(series_add_work, actor=bea, series=series, work=hidden)

    assert _inbox_texts(fan) == ["“Hidden” by Anonymous is now part of “Veil”."]
