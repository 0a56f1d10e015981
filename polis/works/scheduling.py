"""Scheduled posting: a draft work, or a draft chapter, posted by the task worker at the time
its writer chose. Subscribers hear of it then (the posting actions announce it), not before.

Each schedule queues a task for its own time (`polis.works.tasks.post_scheduled`, with
`run_after`), and while anything is scheduled the worker also sweeps for due posts every
`POLIS_SCHEDULE_SWEEP_MINUTES`; `polis post_scheduled` runs the same sweep from cron. A post
whose task was lost is therefore late, never lost. A sweep that finds nothing due does
nothing, so running it twice is harmless.

A due post its writer may no longer make (a closed collection, an account suspended since it
was scheduled) stays a draft, unscheduled, with the reason logged; the sweep posts the rest.

Drafts are never deleted by Polis itself: there is no draft clean-up. A draft waits, scheduled
or not, until its writer posts or deletes it (see
docs/adr/0011-writing-aids-and-scheduled-posting.md: any future clean-up must tell the writer
first and keep the draft by default).
"""

import datetime
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from polis.accounts.models import User
from polis.works import actions
from polis.works.models import Chapter, Work

logger = logging.getLogger(__name__)

MAX_AHEAD = datetime.timedelta(days=366)
BATCH = 200  # posts per sweep; the next sweep takes the rest


def _check_time(at: datetime.datetime, field: str = "scheduled_at") -> None:
    if timezone.is_naive(at):
        raise ValidationError({field: "Give the time with its time zone."})
    now = timezone.now()
    if at <= now:
        raise ValidationError({field: "Choose a time in the future."})
    if at > now + MAX_AHEAD:
        raise ValidationError({field: "Choose a time within a year."})


def _queue(at: datetime.datetime) -> None:
    from polis.works.tasks import queue_posting

    transaction.on_commit(lambda: queue_posting(at))


@transaction.atomic
def work_schedule(*, actor: User, work: Work, at: datetime.datetime | None) -> Work:
    """Post this draft at `at`, or (None) not at any set time any more."""
    work = Work.objects.select_for_update().get(pk=work.pk)
    if work.posted:
        raise ValidationError({"scheduled_at": "This work is already posted."})
    if at is not None:
        _check_time(at)
        later = work.chapters.filter(posted=False, scheduled_at__lt=at).exists()
        if later:
            raise ValidationError(
                {"scheduled_at": "A chapter of this work is scheduled before that time."}
            )
    work.scheduled_at = at
    work.save(update_fields=["scheduled_at", "updated_at"])
    if at is not None:
        _queue(at)
    return work


@transaction.atomic
def chapter_schedule(*, actor: User, chapter: Chapter, at: datetime.datetime | None) -> Chapter:
    """Post this draft chapter at `at`, or (None) not at any set time any more. The work must
    be posted by then: posted already, or scheduled earlier, with an earlier chapter."""
    chapter = Chapter.objects.select_for_update().select_related("work").get(pk=chapter.pk)
    work = chapter.work
    if chapter.posted:
        raise ValidationError({"scheduled_at": "This chapter is already posted."})
    if at is not None:
        _check_time(at)
        if not work.posted:
            earlier = work.chapters.filter(position__lt=chapter.position).exclude(
                scheduled_at__isnull=False
            )
            if work.scheduled_at is None or work.scheduled_at >= at or not earlier.exists():
                raise ValidationError(
                    {
                        "scheduled_at": "Post the work first, or schedule it before this "
                        "chapter (with an earlier chapter to post with it)."
                    }
                )
    chapter.scheduled_at = at
    chapter.save(update_fields=["scheduled_at", "updated_at"])
    if at is not None:
        _queue(at)
    return chapter


def _poster(work: Work) -> User | None:
    creatorship = work.creatorships.filter(accepted=True).select_related("pseud__user").first()
    return creatorship.pseud.user if creatorship else None


def _reason(error: Exception) -> str:
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


def _post_work(work_id: int, now: datetime.datetime) -> bool:
    with transaction.atomic():
        work = (
            Work.objects.select_for_update()
            .filter(pk=work_id, posted=False, scheduled_at__lte=now)
            .first()
        )
        if work is None:
            return False  # posted by hand, unscheduled, or taken by another worker
        actor = _poster(work)
        try:
            with transaction.atomic():
                if actor is None:
                    raise ValidationError("The work has no creator to post it.")
                actions.work_post(actor=actor, work=work)
        except (ValidationError, PermissionDenied) as error:
            # Refused (a closed collection; an account suspended since it scheduled): it
            # stays a draft, no longer scheduled, and the rest of the sweep goes on.
            logger.warning("Scheduled work %s not posted: %s", work_id, _reason(error))
            Work.objects.filter(pk=work_id).update(scheduled_at=None)
            return False
        return True


def _post_chapter(chapter_id: int, now: datetime.datetime) -> bool:
    with transaction.atomic():
        chapter = (
            Chapter.objects.select_for_update()
            .filter(pk=chapter_id, posted=False, scheduled_at__lte=now, work__posted=True)
            .select_related("work")
            .first()
        )
        if chapter is None:
            return False
        actor = _poster(chapter.work)
        try:
            with transaction.atomic():
                if actor is None:
                    raise ValidationError("The work has no creator to post it.")
                actions.chapter_post(actor=actor, chapter=chapter)
        except (ValidationError, PermissionDenied) as error:
            logger.warning("Scheduled chapter %s not posted: %s", chapter_id, _reason(error))
            Chapter.objects.filter(pk=chapter_id).update(scheduled_at=None)
            return False
        return True


def posting_due(*, now: datetime.datetime | None = None) -> list[str]:
    """Post every work and chapter whose time has come (works first, so a chapter scheduled
    after its work finds the work posted); returns what was posted, as "work 3"/"chapter 9"."""
    now = now or timezone.now()
    posted = []
    works = Work.objects.filter(posted=False, scheduled_at__lte=now).order_by("scheduled_at", "pk")
    for work_id in list(works.values_list("pk", flat=True)[:BATCH]):
        if _post_work(work_id, now):
            posted.append(f"work {work_id}")
    chapters = Chapter.objects.filter(
        posted=False, scheduled_at__lte=now, work__posted=True
    ).order_by("scheduled_at", "position", "pk")
    for chapter_id in list(chapters.values_list("pk", flat=True)[:BATCH]):
        if _post_chapter(chapter_id, now):
            posted.append(f"chapter {chapter_id}")
    return posted


def next_scheduled() -> datetime.datetime | None:
    """When the next scheduled post is due (None: nothing is scheduled)."""
    times = [
        Work.objects.filter(posted=False, scheduled_at__isnull=False)
        .order_by("scheduled_at")
        .values_list("scheduled_at", flat=True)
        .first(),
        Chapter.objects.filter(posted=False, scheduled_at__isnull=False)
        .order_by("scheduled_at")
        .values_list("scheduled_at", flat=True)
        .first(),
    ]
    times = [t for t in times if t is not None]
    return min(times) if times else None
