"""Kudos: one per account and one per guest on a work, and again on each of its chapters.

A work's count is the number of distinct people who left kudos anywhere on it.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Min, Q

from polis.accounts.models import User
from polis.accounts.standing import require_participation
from polis.engagement.models import Kudos
from polis.engagement.refusals import Refused
from polis.engagement.relations import check_not_blocked_by_creators, work_creator_ids
from polis.search.indexing import update_stats
from polis.works.models import Chapter, Work

OWN_WORK = "You can't leave kudos on your own work."
NAMES_SHOWN = 50


def _giver(actor: User | AnonymousUser, guest_key: str) -> Q:
    if actor.is_authenticated:
        return Q(user=actor)
    return Q(user__isnull=True, guest_key=guest_key)


@transaction.atomic
def kudos_give(
    *,
    actor: User | AnonymousUser,
    work: Work,
    chapter: Chapter | None = None,
    guest_key: str = "",
) -> tuple[Kudos, bool]:
    """Leave kudos on `work` (or on one of its chapters); (kudos, False) if already left."""
    require_participation(actor, refused=Refused)  # suspended and banned: no kudos
    if not work.posted:
        raise Refused("Kudos can only be left on posted works.")
    if chapter is not None and (chapter.work_id != work.pk or not chapter.posted):
        raise ValidationError({"chapter_id": "That chapter is not part of this work."})
    if actor.is_authenticated:
        if actor.pk in work_creator_ids(work):
            raise Refused(OWN_WORK)
        check_not_blocked_by_creators(actor, work)
    elif not guest_key:
        raise ValidationError("Guests are recognised by their address; none was given.")
    place = Q(work=work, chapter=chapter) if chapter else Q(work=work, chapter__isnull=True)
    existing = Kudos.objects.filter(place, _giver(actor, guest_key)).first()
    if existing is not None:
        return existing, False
    kudos = Kudos(
        work=work,
        chapter=chapter,
        user=actor if actor.is_authenticated else None,
        guest_key="" if actor.is_authenticated else guest_key,
    )
    kudos.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            kudos.save()
    except IntegrityError:  # the other click of a double click won
        return Kudos.objects.get(place, _giver(actor, guest_key)), False
    kudos_recount(work.pk)
    return kudos, True


@transaction.atomic
def kudos_delete(*, actor: User, kudos: Kudos) -> None:
    """Take kudos away (staff removing abuse, from the admin); the work's count follows."""
    work_id = kudos.work_id
    kudos.delete()
    kudos_recount(work_id)


def kudos_recount(work_id: int) -> int:
    """Set the work's kudos count to its distinct givers and copy it into the search index."""
    totals = Kudos.objects.filter(work_id=work_id).aggregate(
        users=Count("user", distinct=True),
        guests=Count("guest_key", distinct=True, filter=Q(user__isnull=True)),
    )
    count = totals["users"] + totals["guests"]
    Work.objects.filter(pk=work_id).update(kudos_count=count)
    update_stats([work_id])
    return count


@dataclass
class KudosSummary:
    """Who left kudos, for "X, Y and 3 guests left kudos on this work!"."""

    usernames: list[str]
    more_users: int
    guests: int

    @property
    def empty(self) -> bool:
        return not self.usernames and not self.more_users and not self.guests

    @property
    def parts(self) -> list[str]:
        parts = list(self.usernames)
        if self.more_users:
            parts.append(f"{self.more_users} more user{'s' if self.more_users != 1 else ''}")
        if self.guests:
            parts.append(f"{self.guests} guest{'s' if self.guests != 1 else ''}")
        return parts


def kudos_summary(work: Work) -> KudosSummary:
    """The givers of kudos anywhere on the work, most recent first."""
    if work.kudos_count == 0:  # kept exact by every kudos action
        return KudosSummary(usernames=[], more_users=0, guests=0)
    givers = (
        Kudos.objects.filter(work=work, user__isnull=False)
        .values("user__username")
        .annotate(first=Min("created_at"))
        .order_by("-first", "user__username")
    )
    names = [row["user__username"] for row in givers[: NAMES_SHOWN + 1]]
    users_total = len(names)
    if users_total > NAMES_SHOWN:
        users_total = givers.count()
        names = names[:NAMES_SHOWN]
    guests = (
        Kudos.objects.filter(work=work, user__isnull=True).values("guest_key").distinct().count()
    )
    return KudosSummary(usernames=names, more_users=users_total - len(names), guests=guests)


def chapter_kudos_count(chapter: Chapter) -> int:
    return Kudos.objects.filter(chapter=chapter).count()


def has_left_kudos(
    viewer: User | AnonymousUser, work: Work, chapter: Chapter | None, guest_key: str
) -> bool:
    if work.kudos_count == 0:
        return False
    place = Q(work=work, chapter=chapter) if chapter else Q(work=work, chapter__isnull=True)
    return Kudos.objects.filter(place, _giver(viewer, guest_key)).exists()
