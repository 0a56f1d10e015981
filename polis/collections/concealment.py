"""What collections hide about their works, set on the works through `work_conceal`.

A work's anonymity and unrevealed state are facts of the work (`polis.works.visibility`
decides what they mean); collections derive them from items and collection settings, with
the maintainers who may see an unrevealed work. Every action that changes items, a
collection's anonymous/unrevealed settings or its maintainers calls `concealment_refresh`
with the works it touched, inside its transaction.
"""

from collections import defaultdict
from collections.abc import Iterable

from polis.collections.models import CollectionItem, ItemStatus, Membership
from polis.collections.models.collection import MAINTAINER_ROLES
from polis.works.actions import Concealment, work_conceal


def concealed_state(work_ids: Iterable[int]) -> dict[int, Concealment]:
    """work id → what its collections hide now, and who maintains those collections.

    Only items the creators approved count (an owner cannot hide someone's work by inviting
    it); pending items do, so a gift posted to an anonymous exchange is never shown named.
    Maintainers of every collection holding the work (or of its parent) may see it while
    unrevealed, as they moderate it.
    """
    ids = set(work_ids)
    anonymous: dict[int, bool] = dict.fromkeys(ids, False)
    unrevealed: dict[int, bool] = dict.fromkeys(ids, False)
    rows = (
        CollectionItem.objects.filter(work_id__in=ids, creator_status=ItemStatus.APPROVED)
        .exclude(collection_status=ItemStatus.REJECTED)
        .values_list(
            "work_id",
            "collection__anonymous",
            "collection__unrevealed",
            "collection__parent__anonymous",
            "collection__parent__unrevealed",
        )
    )
    for work_id, anon, unrev, parent_anon, parent_unrev in rows:
        anonymous[work_id] = anonymous[work_id] or anon or bool(parent_anon)
        unrevealed[work_id] = unrevealed[work_id] or unrev or bool(parent_unrev)
    stewards: dict[int, set[int]] = defaultdict(set)
    hidden = [work_id for work_id in ids if unrevealed[work_id]]
    if hidden:
        holders = defaultdict(set)  # collection id → works it holds (or its children hold)
        for work_id, collection_id, parent_id in CollectionItem.objects.filter(
            work_id__in=hidden
        ).values_list("work_id", "collection_id", "collection__parent_id"):
            holders[collection_id].add(work_id)
            if parent_id:
                holders[parent_id].add(work_id)
        for collection_id, user_id in Membership.objects.filter(
            collection_id__in=holders, role__in=MAINTAINER_ROLES
        ).values_list("collection_id", "user_id"):
            for work_id in holders[collection_id]:
                stewards[work_id].add(user_id)
    return {
        work_id: Concealment(
            anonymous=anonymous[work_id],
            unrevealed=unrevealed[work_id],
            steward_ids=frozenset(stewards[work_id]),
        )
        for work_id in ids
    }


def concealment_refresh(work_ids: Iterable[int]) -> set[int]:
    """Bring these works' concealment up to date; the works whose state changed."""
    return work_conceal(states=concealed_state(work_ids))
