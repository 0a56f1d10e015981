"""Reads that are more than a `get`: a collection's listed works; gift exchanges' stored
potential givers."""

from dataclasses import dataclass

from polis.collections.models import (
    Assignment,
    Challenge,
    Collection,
    CollectionItem,
    ItemStatus,
    PotentialGivers,
    Signup,
)


def collection_work_ids(collection: Collection) -> list[int]:
    """The works a collection lists: approved on both sides in it or a sub-collection.

    The scope only (`WorkFilter.work_ids`): what a viewer sees of it is the search's
    business, as on every listing (unrevealed works are not in the index at all).
    """
    return sorted(
        set(
            CollectionItem.objects.filter(
                collection__in=Collection.objects.filter(pk=collection.pk)
                | Collection.objects.filter(parent_id=collection.pk),
                creator_status=ItemStatus.APPROVED,
                collection_status=ItemStatus.APPROVED,
            ).values_list("work_id", flat=True)
        )
    )


@dataclass
class PotentialGiver:
    signup: Signup
    score: int
    prompts_matched: int
    writes_for: Signup | None  # whom this giver is currently assigned to, if anyone


def giver_counts(challenge: Challenge) -> dict[int, int]:
    """recipient sign-up id → how many potential givers they have (kept or not)."""
    return dict(
        PotentialGivers.objects.filter(challenge=challenge).values_list(
            "recipient_id", "giver_count"
        )
    )


def potential_givers_of(
    challenge: Challenge, recipient: Signup
) -> tuple[list[PotentialGiver], int]:
    """The recipient's kept givers, best first, with their current assignments; and the
    number of all their potential givers. Three queries."""
    row = PotentialGivers.objects.filter(challenge=challenge, recipient=recipient).first()
    if row is None:
        return [], 0
    ids = [giver for giver, _, _ in row.givers]
    signups = Signup.objects.filter(pk__in=ids).select_related("user", "pseud").in_bulk()
    writes_for = {
        a.giver_id: a.recipient
        for a in Assignment.objects.filter(
            challenge=challenge, giver_id__in=ids, defaulted_at=None
        ).select_related("recipient__user")
    }
    givers = [
        PotentialGiver(signups[giver], score, matched, writes_for.get(giver))
        for giver, score, matched in row.givers
        if giver in signups
    ]
    return givers, row.giver_count
