"""Scheduled posting: the worker posts a draft or a chapter at its time, and subscribers are
told then. These tests run the real task worker (`polis db_worker --batch`) on the database
backend, as `polis serve` does, in transactional tests so that on_commit follow-ups run."""

import datetime
import time

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from polis.engagement.models import Notification, NotificationKind
from polis.engagement.subscriptions import subscription_create
from polis.works.actions import ChapterInput, chapter_add, work_post
from polis.works.models import Chapter, Work
from polis.works.scheduling import chapter_schedule, work_schedule

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
LEAD = datetime.timedelta(seconds=1.5)


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = DB_TASKS
    settings.POLIS_SCHEDULE_SWEEP_MINUTES = 10


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


def wait_until(moment: datetime.datetime) -> None:
    time.sleep(max(0.0, (moment - timezone.now()).total_seconds()) + 0.1)


def notices(user, kind):
    return list(
        Notification.objects.filter(recipient=user, kind=kind).values_list("work__title", flat=True)
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_scheduled_draft_is_posted_by_the_worker_and_subscribers_hear_of_it_then(
    db_tasks, make_user, make_work
):
    writer, fan = make_user("writer"), make_user("fan")
    subscription_create(actor=fan, target=writer)
    draft = make_work(writer, title="Midnight", post=False)
    at = timezone.now() + LEAD

    work_schedule(actor=writer, work=draft, at=at)

    queued = DBTaskResult.objects.filter(task_path="polis.works.tasks.post_scheduled")
    assert sorted(queued.values_list("run_after", flat=True)) == [at, at]  # its own + the sweep
    run_worker()  # too early: nothing is due, nobody is told
    draft.refresh_from_db()
    assert (draft.posted, draft.scheduled_at) == (False, at)
    assert notices(fan, NotificationKind.NEW_WORK) == []

    wait_until(at)
    run_worker()

    draft.refresh_from_db()
    assert draft.posted is True
    assert draft.scheduled_at is None
    assert draft.published_at == timezone.localdate()
    assert notices(fan, NotificationKind.NEW_WORK) == ["Midnight"]
    assert Notification.objects.get(recipient=fan).created_at >= at
    # Nothing is left scheduled, so no sweep was queued after the last one.
    assert queued.filter(status="READY").count() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_scheduled_chapter_is_posted_by_the_worker_and_subscribers_hear_of_it_then(
    db_tasks, make_user, make_work
):
    writer, fan = make_user("writer"), make_user("fan")
    work = make_work(writer, title="Serial")
    subscription_create(actor=fan, target=work)
    chapter = chapter_add(
        actor=writer, work=work, data=ChapterInput(text="<p>Two.</p>", title="Two"), post=False
    )
    at = timezone.now() + LEAD

    chapter_schedule(actor=writer, chapter=chapter, at=at)
    run_worker()
    chapter.refresh_from_db()
    assert chapter.posted is False
    assert notices(fan, NotificationKind.NEW_CHAPTER) == []

    wait_until(at)
    run_worker()

    chapter.refresh_from_db()
    work.refresh_from_db()
    assert (chapter.posted, chapter.scheduled_at) == (True, None)
    assert work.chapter_count == 2
    assert notices(fan, NotificationKind.NEW_CHAPTER) == ["Serial"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_post_whose_task_was_lost_is_posted_by_the_sweep_command(db_tasks, make_user, make_work):
    writer = make_user("writer")
    draft = make_work(writer, title="Lost", post=False)
    at = timezone.now() + LEAD
    work_schedule(actor=writer, work=draft, at=at)
    DBTaskResult.objects.all().delete()  # the queue lost its tasks

    wait_until(at)
    call_command("post_scheduled", verbosity=0)

    draft.refresh_from_db()
    assert draft.posted is True


@pytest.mark.django_db
def test_a_draft_work_with_a_later_chapter_posts_only_what_is_due(make_user, make_work, settings):
    settings.TASKS = DB_TASKS
    writer = make_user("writer")
    draft = make_work(writer, title="Two parts", post=False)
    later = chapter_add(actor=writer, work=draft, data=ChapterInput(text="<p>B</p>"), post=False)
    now = timezone.now()
    work_schedule(actor=writer, work=draft, at=now + datetime.timedelta(hours=1))
    chapter_schedule(actor=writer, chapter=later, at=now + datetime.timedelta(hours=2))

    work_post(actor=writer, work=draft)  # posted by hand before its time

    draft.refresh_from_db()
    later.refresh_from_db()
    assert (draft.posted, draft.scheduled_at, draft.chapter_count) == (True, None, 1)
    assert later.posted is False
    assert later.scheduled_at == now + datetime.timedelta(hours=2)


@pytest.mark.django_db
def test_schedules_are_refused_in_the_past_for_posted_works_and_for_chapters_of_drafts(
    make_user, make_work
):
    from django.core.exceptions import ValidationError

    writer = make_user("writer")
    posted, draft = make_work(writer), make_work(writer, post=False)
    soon = timezone.now() + datetime.timedelta(hours=1)
    with pytest.raises(ValidationError, match="in the future"):
        work_schedule(actor=writer, work=draft, at=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(ValidationError, match="already posted"):
        work_schedule(actor=writer, work=posted, at=soon)
    with pytest.raises(ValidationError, match="Post the work first"):
        chapter_schedule(actor=writer, chapter=draft.chapters.get(), at=soon)
    assert list(Work.objects.exclude(scheduled_at=None)) == []
    assert list(Chapter.objects.exclude(scheduled_at=None)) == []


@pytest.mark.django_db
def test_the_schedule_page_sets_and_cancels_a_schedule(client, make_user, make_work, settings):
    settings.TASKS = DB_TASKS
    writer, other = make_user("writer"), make_user("other")
    draft = make_work(writer, post=False)
    url = reverse("works:schedule", kwargs={"work_id": draft.pk})
    client.force_login(other)
    assert client.get(url).status_code == 404
    client.force_login(writer)
    page = client.get(url).content.decode()
    assert '<label for="id_scheduled_at">Post at</label>' in page
    assert 'type="datetime-local"' in page

    when = (timezone.now() + datetime.timedelta(days=2)).replace(second=0, microsecond=0)
    response = client.post(url, {"scheduled_at": when.strftime("%Y-%m-%dT%H:%M"), "schedule": "1"})

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.scheduled_at == when
    preview = client.get(reverse("works:preview", kwargs={"work_id": draft.pk})).content.decode()
    assert f"Scheduled for {when:%Y-%m-%d %H:%M} UTC" in preview

    client.post(url, {"scheduled_at": "", "unschedule": "1"})
    draft.refresh_from_db()
    assert draft.scheduled_at is None and draft.posted is False


@pytest.mark.django_db
def test_the_api_schedules_a_draft_and_a_chapter(make_user, make_work, settings):
    from polis.api.actions import token_create
    from tests.api.conftest import ApiClient

    settings.TASKS = DB_TASKS
    writer = make_user("writer")
    api = ApiClient(token_create(actor=writer, name="t")[1])
    draft = make_work(writer, post=False)
    work = make_work(writer)
    chapter = chapter_add(actor=writer, work=work, data=ChapterInput(text="<p>B</p>"), post=False)
    when = (timezone.now() + datetime.timedelta(days=1)).replace(microsecond=0)

    response = api._send("put", f"/works/{draft.pk}/schedule", {"scheduled_at": when.isoformat()})
    assert response.status_code == 200
    assert response.json()["scheduled_at"] == when.isoformat().replace("+00:00", "Z")
    response = api._send(
        "put",
        f"/works/{work.pk}/chapters/{chapter.pk}/schedule",
        {"scheduled_at": when.isoformat()},
    )
    assert response.status_code == 200
    chapter.refresh_from_db()
    assert chapter.scheduled_at == when

    refused = api._send("put", f"/works/{work.pk}/schedule", {"scheduled_at": when.isoformat()})
    assert refused.status_code == 400
    assert refused.json()["errors"] == [
        {"field": "scheduled_at", "message": "This work is already posted."}
    ]
    naive = api._send("put", f"/works/{draft.pk}/schedule", {"scheduled_at": "2030-01-01T10:00"})
    assert naive.status_code in {400, 422}
    other = ApiClient(token_create(actor=make_user("other"), name="t")[1])
    assert (
        other._send("put", f"/works/{draft.pk}/schedule", {"scheduled_at": None}).status_code == 404
    )


@pytest.mark.django_db
def test_a_writer_suspended_after_scheduling_is_skipped_and_the_others_are_posted(
    make_user, make_work, settings, caplog
):
    from polis.moderation.sanctions import user_suspend
    from polis.works.scheduling import posting_due

    settings.TASKS = DB_TASKS
    staff = make_user("staff", is_staff=True, is_superuser=True)
    suspended, fine = make_user("suspended"), make_user("fine")
    now = timezone.now()
    soon = now + datetime.timedelta(hours=1)
    drafts = {
        user: make_work(user, title=f"Draft by {user}", post=False) for user in (suspended, fine)
    }
    serials = {user: make_work(user, title=f"Serial by {user}") for user in (suspended, fine)}
    chapters = {
        user: chapter_add(
            actor=user, work=serials[user], data=ChapterInput(text="<p>Next</p>"), post=False
        )
        for user in (suspended, fine)
    }
    for user in (suspended, fine):
        work_schedule(actor=user, work=drafts[user], at=soon)
        chapter_schedule(actor=user, chapter=chapters[user], at=soon)
    user_suspend(actor=staff, user=suspended, days=3, reason="Spam.")

    with caplog.at_level("WARNING", logger="polis.works.scheduling"):
        posted = posting_due(now=soon + datetime.timedelta(minutes=1))

    assert posted == [f"work {drafts[fine].pk}", f"chapter {chapters[fine].pk}"]
    states = {
        title: (is_posted, scheduled)
        for title, is_posted, scheduled in Work.objects.filter(
            pk__in=[d.pk for d in drafts.values()]
        ).values_list("title", "posted", "scheduled_at")
    }
    assert states == {"Draft by suspended": (False, None), "Draft by fine": (True, None)}
    assert sorted(
        Chapter.objects.filter(pk__in=[c.pk for c in chapters.values()]).values_list(
            "work__title", "posted", "scheduled_at"
        )
    ) == [("Serial by fine", True, None), ("Serial by suspended", False, None)]
    reasons = [r.getMessage() for r in caplog.records if r.name == "polis.works.scheduling"]
    assert len(reasons) == 2
    assert reasons[0].startswith(f"Scheduled work {drafts[suspended].pk} not posted: ")
    assert reasons[1].startswith(f"Scheduled chapter {chapters[suspended].pk} not posted: ")
    assert all("suspended" in reason for reason in reasons)
