"""Orphaning, as AO3 does it: a work, a series or a pseud passes to the `orphan_account` user.

The writer chooses whether their pseud's name stays on the byline. Keeping it credits a pseud
of that name on `orphan_account` (created the first time), dropping it credits orphan_account's
own default pseud. Co-creators stay; the writer's pending invitations on the work go. Nothing
links the work to its old account afterwards, and the writer cannot take it back.

Every orphaned work is reindexed, which writes the change log (`search.WorkChange`) that the
accelerator and the page caches follow, so listings, tag pages, search and the API show the
new byline on the next read.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from polis.accounts.models import Pseud, User
from polis.search.indexing import index_works
from polis.works.models import Creatorship, Series, Work

ORPHAN_USERNAME = "orphan_account"
_BATCH = 200


def orphan_account() -> User:
    """The archive's orphan_account user (made on first use; it can never sign in)."""
    user = User.objects.filter(username=ORPHAN_USERNAME).first()
    if user is not None:
        return user
    try:
        with transaction.atomic():
            # The username is reserved for sign-up (accounts.validators); only this makes it.
            return User.objects.create_user(
                username=ORPHAN_USERNAME, email="", password=None, is_active=True
            )
    except IntegrityError:  # made meanwhile by another request
        return User.objects.get(username=ORPHAN_USERNAME)


def _orphan_pseud(orphans: User, pseud: Pseud, *, keep_name: bool) -> Pseud:
    default = orphans.pseuds.get(is_default=True)
    if not keep_name or pseud.name.lower() == default.name.lower():
        return default
    found = orphans.pseuds.filter(name__iexact=pseud.name).first()
    if found is not None:
        return found
    return Pseud.objects.create(user=orphans, name=pseud.name, is_default=False)


def _target(orphans: User, pseud: Pseud, keep_name: bool, memo: dict[int, Pseud]) -> Pseud:
    if pseud.pk not in memo:
        memo[pseud.pk] = _orphan_pseud(orphans, pseud, keep_name=keep_name)
    return memo[pseud.pk]


def _orphan_works(
    *, actor: User, work_ids: Iterable[int], pseud: Pseud | None, keep_name: bool
) -> int:
    """Move the actor's creatorships on these works (only `pseud`'s when given) to orphans."""
    orphans = orphan_account()
    memo: dict[int, Pseud] = {}
    ids = sorted(set(work_ids))
    for start in range(0, len(ids), _BATCH):
        batch = ids[start : start + _BATCH]
        mine = Creatorship.objects.filter(work_id__in=batch, pseud__user=actor).select_related(
            "pseud"
        )
        if pseud is not None:
            mine = mine.filter(pseud=pseud)
        present = set(
            Creatorship.objects.filter(work_id__in=batch, pseud__user=orphans).values_list(
                "work_id", "pseud_id"
            )
        )
        for creatorship in list(mine):
            if not creatorship.accepted:  # an invitation the writer had not answered
                creatorship.delete()
                continue
            target = _target(orphans, creatorship.pseud, keep_name, memo)
            if (creatorship.work_id, target.pk) in present:
                creatorship.delete()
            else:
                creatorship.pseud = target
                creatorship.invited_by = None
                creatorship.save(update_fields=["pseud", "invited_by"])
                present.add((creatorship.work_id, target.pk))
        index_works(batch)
    return len(ids)


def _orphan_series(*, actor: User, series: Iterable[Series], keep_name: bool) -> int:
    orphans = orphan_account()
    memo: dict[int, Pseud] = {}
    count = 0
    for one in series:
        for pseud in list(one.pseuds.filter(user=actor)):
            one.pseuds.remove(pseud)
            one.pseuds.add(_target(orphans, pseud, keep_name, memo))
        count += 1
    return count


def _works_of(actor: User, pseud: Pseud | None = None) -> list[int]:
    rows = Creatorship.objects.filter(pseud__user=actor)
    if pseud is not None:
        rows = rows.filter(pseud=pseud)
    return list(rows.values_list("work_id", flat=True).distinct())


@transaction.atomic
def work_orphan(*, actor: User, work: Work, keep_pseud_name: bool) -> Work:
    """Give the actor's part of one work to orphan_account."""
    _orphan_works(actor=actor, work_ids=[work.pk], pseud=None, keep_name=keep_pseud_name)
    return work


def works_of_series(actor: User, series: Series) -> int:
    """How many of the actor's works are in the series (what orphaning it will orphan)."""
    return len(_series_work_ids(actor, series))


def _series_work_ids(actor: User, series: Series) -> list[int]:
    return list(
        Creatorship.objects.filter(pseud__user=actor, work__series_entries__series=series)
        .values_list("work_id", flat=True)
        .distinct()
    )


@transaction.atomic
def series_orphan(*, actor: User, series: Series, keep_pseud_name: bool) -> Series:
    """Orphan a series and every work of the actor in it (AO3 orphans the works too)."""
    work_ids = _series_work_ids(actor, series)
    _orphan_works(actor=actor, work_ids=work_ids, pseud=None, keep_name=keep_pseud_name)
    _orphan_series(actor=actor, series=[series], keep_name=keep_pseud_name)
    return series


@transaction.atomic
def pseud_orphan(*, actor: User, pseud: Pseud, keep_pseud_name: bool) -> int:
    """Orphan every work and series credited to one of the actor's pseuds; the number of works."""
    if pseud.user_id != actor.pk:
        raise PermissionDenied("Only the owner can orphan a pseud's works.")
    count = _orphan_works(
        actor=actor, work_ids=_works_of(actor, pseud), pseud=pseud, keep_name=keep_pseud_name
    )
    _orphan_series(
        actor=actor, series=list(Series.objects.filter(pseuds=pseud)), keep_name=keep_pseud_name
    )
    return count


@transaction.atomic
def account_orphan_all(*, actor: User, keep_pseud_name: bool) -> int:
    """Orphan everything the actor created: every work and every series; the number of works."""
    count = _orphan_works(
        actor=actor, work_ids=_works_of(actor), pseud=None, keep_name=keep_pseud_name
    )
    _orphan_series(
        actor=actor,
        series=list(Series.objects.filter(pseuds__user=actor).distinct()),
        keep_name=keep_pseud_name,
    )
    return count
