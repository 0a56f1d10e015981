"""Muting and blocking between users: the actions, and the lookups every listing needs.

Muting is private to the muter: the muted user's works, series, bookmarks and comments
disappear from the muter's pages and counts. Blocking protects the blocker's works: the
blocked user can no longer comment there, reply to the blocker, or leave kudos, and learns
about it only from a clear refusal when trying.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from polis.accounts.models import Block, Mute, User
from polis.engagement.refusals import Blocked
from polis.works.models import Creatorship, Work
from polis.works.visibility import prefetched_creator_user_ids

BLOCKED_ON_WORK = "Sorry, you have been blocked by one of the creators of this work."
BLOCKED_BY_USER = "Sorry, you have been blocked by that user."
_CACHE_ATTR = "_polis_muted_ids"


def is_moderator(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.is_staff))


def muted_user_ids(viewer: User | AnonymousUser) -> list[int]:
    """Users whose works, series, bookmarks and comments `viewer` has muted (sorted ids).

    Remembered on the user object for the rest of the request; mute actions forget it.
    """
    if not viewer.is_authenticated:
        return []
    cached = getattr(viewer, _CACHE_ATTR, None)
    if cached is None:
        cached = sorted(Mute.objects.filter(user=viewer).values_list("muted_id", flat=True))
        setattr(viewer, _CACHE_ATTR, cached)
    return cached


def _forget(user: User) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def work_creator_ids(work: Work) -> set[int]:
    known = prefetched_creator_user_ids(work)
    if known is not None:
        return known
    return set(
        Creatorship.objects.filter(work=work, accepted=True).values_list(
            "pseud__user_id", flat=True
        )
    )


def check_not_blocked_by_creators(actor: User | AnonymousUser, work: Work) -> None:
    """Raise Blocked if any creator of `work` has blocked `actor`."""
    if not actor.is_authenticated:
        return
    if Block.objects.filter(blocked=actor, user_id__in=work_creator_ids(work)).exists():
        raise Blocked(BLOCKED_ON_WORK)


def check_not_blocked_by(actor: User | AnonymousUser, user_id: int | None) -> None:
    if not actor.is_authenticated or user_id is None:
        return
    if Block.objects.filter(blocked=actor, user_id=user_id).exists():
        raise Blocked(BLOCKED_BY_USER)


def _check_target(actor: User, target: User, verb: str) -> None:
    if target.pk == actor.pk:
        raise ValidationError({"username": f"You can't {verb} yourself."})
    if is_moderator(target):
        raise ValidationError({"username": f"You can't {verb} a site administrator."})


@transaction.atomic
def mute_add(*, actor: User, target: User) -> Mute:
    """Mute `target`; muting someone twice keeps one mute."""
    _check_target(actor, target, "mute")
    _forget(actor)
    try:
        with transaction.atomic():
            mute, _ = Mute.objects.get_or_create(user=actor, muted=target)
    except IntegrityError:
        mute = Mute.objects.get(user=actor, muted=target)
    return mute


@transaction.atomic
def mute_remove(*, actor: User, target: User) -> None:
    _forget(actor)
    Mute.objects.filter(user=actor, muted=target).delete()


@transaction.atomic
def block_add(*, actor: User, target: User) -> Block:
    """Block `target`; blocking someone twice keeps one block."""
    _check_target(actor, target, "block")
    try:
        with transaction.atomic():
            block, _ = Block.objects.get_or_create(user=actor, blocked=target)
    except IntegrityError:
        block = Block.objects.get(user=actor, blocked=target)
    return block


@transaction.atomic
def block_remove(*, actor: User, target: User) -> None:
    Block.objects.filter(user=actor, blocked=target).delete()


def mutes_of(user: User) -> QuerySet[Mute]:
    return Mute.objects.filter(user=user).select_related("muted").order_by("muted__username")


def blocks_of(user: User) -> QuerySet[Block]:
    return Block.objects.filter(user=user).select_related("blocked").order_by("blocked__username")
