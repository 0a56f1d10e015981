"""Deleting an account, as AO3 does: its works are orphaned or deleted, as the owner chooses.

- Works: "orphan" gives every work and series to orphan_account (keeping the pseuds' names
  or not, polis.works.orphaning); "delete" deletes the works only the account created and
  takes the account off the works it shares with co-creators (they keep them).
- Comments: a comment someone else replied to stays in its thread, shown as by a deleted
  account, so others' replies keep their place; every other comment of the account goes.
- Kudos, bookmarks, subscriptions, history, sign-ups, memberships, API tokens and exports
  go with the account; the counters of the works they were on are recounted.
- Sessions die at once: every session names its user, and Django refuses one whose user is
  gone (`django.contrib.auth.get_user`), on the very next request.
"""

from typing import Literal

from django.db import transaction
from django.db.models import Q

from polis.accounts.models import User
from polis.engagement.bookmarks import bookmarks_recount
from polis.engagement.comments import comments_recount
from polis.engagement.kudos import kudos_recount
from polis.engagement.models import Bookmark, Comment, Kudos
from polis.rights.exports import exports_delete_all
from polis.search.indexing import index_works
from polis.works.actions import work_delete
from polis.works.models import Creatorship, Series, Work
from polis.works.orphaning import ORPHAN_USERNAME, account_orphan_all
from polis.works.series import series_delete

WorkChoice = Literal["orphan", "delete"]
WORK_CHOICES = ("orphan", "delete")
_BATCH = 200


def _delete_works(actor: User) -> None:
    mine = sorted(
        set(Creatorship.objects.filter(pseud__user=actor).values_list("work_id", flat=True))
    )
    for start in range(0, len(mine), _BATCH):
        batch = mine[start : start + _BATCH]
        shared = set(
            Creatorship.objects.filter(work_id__in=batch, accepted=True)
            .exclude(pseud__user=actor)
            .values_list("work_id", flat=True)
        )
        Creatorship.objects.filter(work_id__in=shared, pseud__user=actor).delete()
        index_works(shared)
        for work in Work.objects.filter(pk__in=set(batch) - shared):
            work_delete(actor=actor, work=work)
    for series in Series.objects.filter(pseuds__user=actor).distinct():
        if series.pseuds.exclude(user=actor).exists():
            series.pseuds.remove(*series.pseuds.filter(user=actor))
        else:
            series_delete(actor=actor, series=series)


def _remove_comments(actor: User) -> set[int]:
    """Delete the account's comments nobody answered, deepest first (so a chain of the
    account's own replies goes whole); keep the rest for the replies under them, shown as a
    deleted account's (no user, no pseud: nothing links back). The works whose comments
    changed."""
    works: set[int] = set()
    while True:
        deepest = (
            Comment.objects.filter(user=actor).order_by("-depth").values_list("depth", flat=True)
        ).first()
        if deepest is None:
            return works
        # One depth at a time: a reply of the same batch must be gone before its parent is
        # judged.
        batch = list(
            Comment.objects.filter(user=actor, depth=deepest)
            .order_by("pk")
            .values_list("pk", "work_id", "parent_id")[:_BATCH]
        )
        ids = [pk for pk, _, _ in batch]
        answered = set(
            Comment.objects.filter(parent_id__in=ids).values_list("parent_id", flat=True)
        )
        Comment.objects.filter(pk__in=answered).update(user=None, pseud=None, dedupe_key=None)
        Comment.objects.filter(pk__in=[pk for pk in ids if pk not in answered]).delete()
        works.update(work_id for _, work_id, _ in batch)
        _drop_empty_placeholders({parent for _, _, parent in batch if parent is not None})


def _drop_empty_placeholders(parent_ids: set[int]) -> None:
    """A comment deleted earlier and kept only for its replies goes with its last reply."""
    while parent_ids:
        empty = list(
            Comment.objects.filter(pk__in=parent_ids, deleted=True)
            .exclude(Q(replies__isnull=False))
            .values_list("pk", "parent_id")
        )
        if not empty:
            return
        Comment.objects.filter(pk__in=[pk for pk, _ in empty]).delete()
        parent_ids = {parent for _, parent in empty if parent is not None}


@transaction.atomic
def account_delete(*, actor: User, works: WorkChoice, keep_pseud_name: bool = True) -> None:
    """Delete the actor's account (see the module docstring)."""
    if works not in WORK_CHOICES:
        raise ValueError(f"works must be one of {WORK_CHOICES}")
    if actor.username == ORPHAN_USERNAME:
        raise ValueError("orphan_account cannot be deleted.")
    if works == "orphan":
        account_orphan_all(actor=actor, keep_pseud_name=keep_pseud_name)
    else:
        _delete_works(actor)
    touched = _remove_comments(actor)
    kudos_on = set(Kudos.objects.filter(user=actor).values_list("work_id", flat=True))
    bookmarked = set(
        Bookmark.objects.filter(user=actor, work__isnull=False).values_list("work_id", flat=True)
    )
    exports_delete_all(user=actor)
    User.objects.filter(pk=actor.pk).delete()  # sessions, tokens and the rest go with it
    live = set(
        Work.objects.filter(pk__in=touched | kudos_on | bookmarked).values_list("pk", flat=True)
    )
    for work_id in sorted(live & touched):
        comments_recount(work_id)
    for work_id in sorted(live & kudos_on):
        kudos_recount(work_id)
    for work_id in sorted(live & bookmarked):
        bookmarks_recount(work_id)
