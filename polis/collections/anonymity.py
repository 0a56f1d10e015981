"""What collection pages show about the works they hold: where a work is, and for whom.

Whether a work is anonymous or unrevealed is a fact of the work, and what that means for a
viewer is decided by `polis.works.visibility` alone; the few names here read those facts
for collections' own pages and tests.
"""

from polis.collections.models import Collection, CollectionItem, Gift, ItemStatus
from polis.works.models import Work
from polis.works.visibility import ANONYMOUS, byline_pseuds, can_see_creators

__all__ = [
    "ANONYMOUS",
    "byline_text",
    "collection_item_counts",
    "gifts_for_display",
    "is_anonymous",
    "is_unrevealed",
    "visible_collections_for",
]


def is_anonymous(work: Work) -> bool:
    """Whether the work's creators show as "Anonymous" (to everyone, on every surface)."""
    return not can_see_creators(work)


def is_unrevealed(work: Work) -> bool:
    """Whether the work is hidden until its collection reveals it."""
    return work.unrevealed


def byline_text(work: Work) -> str:
    return ", ".join(str(pseud) for pseud in byline_pseuds(work)) or ANONYMOUS


def visible_collections_for(work: Work) -> list[Collection]:
    """The collections a work page lists (`dd.collections`): approved on both sides."""
    return list(
        Collection.objects.filter(
            items__work=work,
            items__creator_status=ItemStatus.APPROVED,
            items__collection_status=ItemStatus.APPROVED,
        ).order_by("title", "pk")
    )


def gifts_for_display(work: Work) -> list[Gift]:
    """ "For X" on a work page: gifts that were not refused."""
    return list(work.gifts.filter(refused=False).select_related("recipient"))


def collection_item_counts(collection: Collection) -> int:
    return CollectionItem.objects.filter(
        collection=collection,
        creator_status=ItemStatus.APPROVED,
        collection_status=ItemStatus.APPROVED,
    ).count()
