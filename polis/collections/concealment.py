"""Keeping `Concealment` rows equal to what collections hide, and the search index with them.

Every action that changes items or a collection's anonymous/unrevealed settings calls
`concealment_refresh` with the works it touched, inside its transaction.
"""

from collections.abc import Iterable

from polis.collections.models import CollectionItem, Concealment, ItemStatus
from polis.search.indexing import index_works


def concealed_state(work_ids: Iterable[int]) -> dict[int, tuple[bool, bool]]:
    """work id → (anonymous, unrevealed) as the items and collections say now.

    Only items the creators approved count (an owner cannot hide someone's work by inviting
    it); pending items do, so a gift posted to an anonymous exchange is never shown named.
    """
    ids = set(work_ids)
    state = dict.fromkeys(ids, (False, False))
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
    for work_id, anonymous, unrevealed, parent_anonymous, parent_unrevealed in rows:
        was_anonymous, was_unrevealed = state[work_id]
        state[work_id] = (
            was_anonymous or anonymous or bool(parent_anonymous),
            was_unrevealed or unrevealed or bool(parent_unrevealed),
        )
    return state


def concealment_refresh(work_ids: Iterable[int]) -> set[int]:
    """Bring the rows of these works up to date; reindex and return the works that changed."""
    state = concealed_state(work_ids)
    existing = {row.work_id: row for row in Concealment.objects.filter(work_id__in=state)}
    changed: set[int] = set()
    for work_id, (anonymous, unrevealed) in state.items():
        row = existing.get(work_id)
        if not anonymous and not unrevealed:
            if row is not None:
                row.delete()
                changed.add(work_id)
            continue
        if row is None:
            Concealment.objects.create(work_id=work_id, anonymous=anonymous, unrevealed=unrevealed)
            changed.add(work_id)
        elif (row.anonymous, row.unrevealed) != (anonymous, unrevealed):
            row.anonymous, row.unrevealed = anonymous, unrevealed
            row.save(update_fields=["anonymous", "unrevealed"])
            changed.add(work_id)
    if changed:
        # The index leaves out unrevealed works and anonymous creators (once it asks us).
        index_works(changed)
    return changed
