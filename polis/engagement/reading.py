"""What a work page records about its reader: a hit, and (for accounts) the reading history.

`record_reading` is the one call the work page makes. Both parts cost a cache lookup on a
repeat view; the history row is written at most once per reader, chapter and five minutes.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, Prefetch, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from polis.accounts.models import User
from polis.engagement.blurbs import work_prefetch
from polis.engagement.hits import hit_record
from polis.engagement.models import Reading
from polis.engagement.relations import muted_user_ids
from polis.works.access import visible_works
from polis.works.models import Chapter, Creatorship, Work

HISTORY_WRITE_SECONDS = 300


def record_reading(
    request: HttpRequest, work: Work, *, chapter: Chapter | None, creator: bool
) -> None:
    """Count the hit and note the history of one view of a work page."""
    hit_record(request, work, creator=creator)
    user = request.user
    if user.is_authenticated and user.history_enabled and work.posted:
        gate = f"polis:history:{user.pk}:{work.pk}:{chapter.pk if chapter else 0}"
        if cache.add(gate, 1, timeout=HISTORY_WRITE_SECONDS):
            history_record(user=user, work=work, chapter=chapter)


def history_record(*, user: User, work: Work, chapter: Chapter | None) -> None:
    now = timezone.now()
    changes = {"last_viewed_at": now, "view_count": F("view_count") + 1, "chapter": chapter}
    if Reading.objects.filter(user=user, work=work).update(**changes):
        return
    try:
        with transaction.atomic():
            Reading.objects.create(
                user=user, work=work, chapter=chapter, last_viewed_at=now, view_count=1
            )
    except IntegrityError:  # another tab got there first
        Reading.objects.filter(user=user, work=work).update(**changes)


@transaction.atomic
def reading_mark_for_later(*, actor: User, work: Work, later: bool = True) -> Reading | None:
    """Mark a work for later (or as read: off the list). Works with history turned off too."""
    now = timezone.now()
    if not later:
        Reading.objects.filter(user=actor, work=work).update(later=False, later_at=None)
        Reading.objects.filter(
            user=actor, work=work, later=False, last_viewed_at__isnull=True
        ).delete()
        return Reading.objects.filter(user=actor, work=work).first()
    try:
        with transaction.atomic():
            reading, created = Reading.objects.get_or_create(
                user=actor, work=work, defaults={"later": True, "later_at": now}
            )
    except IntegrityError:
        reading, created = Reading.objects.get(user=actor, work=work), False
    if not created and not reading.later:
        reading.later = True
        reading.later_at = now
        reading.save(update_fields=["later", "later_at"])
    return reading


@transaction.atomic
def reading_delete(*, actor: User, work: Work) -> None:
    """Take one work out of the history (a mark for later stays)."""
    Reading.objects.filter(user=actor, work=work, later=False).delete()
    Reading.objects.filter(user=actor, work=work).update(
        last_viewed_at=None, view_count=0, chapter=None
    )


@transaction.atomic
def history_clear(*, actor: User) -> None:
    """Forget every work read; works marked for later stay on that list."""
    Reading.objects.filter(user=actor, later=False).delete()
    Reading.objects.filter(user=actor).update(last_viewed_at=None, view_count=0, chapter=None)


@transaction.atomic
def history_set_enabled(*, actor: User, enabled: bool) -> User:
    """Turn the history on or off; turning it off deletes it."""
    actor.history_enabled = enabled
    actor.save(update_fields=["history_enabled"])
    if not enabled:
        history_clear(actor=actor)
    return actor


def _readable(viewer: User, readings: QuerySet[Reading]) -> QuerySet[Reading]:
    readings = readings.filter(work__in=visible_works(viewer))
    muted = muted_user_ids(viewer)
    if muted:
        readings = readings.exclude(
            work__in=Creatorship.objects.filter(accepted=True, pseud__user_id__in=muted).values(
                "work_id"
            )
        )
    return readings


def history_of(user: User) -> QuerySet[Reading]:
    """Works the user read, most recent first (only works they may still see)."""
    readings = _readable(user, Reading.objects.filter(user=user, last_viewed_at__isnull=False))
    return readings.prefetch_related(
        work_prefetch(), Prefetch("chapter", queryset=Chapter.objects.numbered())
    ).order_by("-last_viewed_at", "-pk")


def marked_for_later(user: User) -> QuerySet[Reading]:
    readings = _readable(user, Reading.objects.filter(user=user, later=True))
    return readings.prefetch_related(work_prefetch()).order_by("-later_at", "-pk")


def reading_of(user: User | AnonymousUser, work: Work) -> Reading | None:
    if not user.is_authenticated:
        return None
    return Reading.objects.filter(user=user, work=work).first()
