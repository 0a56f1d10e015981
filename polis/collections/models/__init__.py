"""Collections, gifts, tag sets and challenges (prompt memes, gift exchanges)."""

from polis.collections.models.challenge import (
    Assignment,
    Challenge,
    ChallengeKind,
    Claim,
    MatchingStatus,
    PotentialGivers,
    Prompt,
    PromptKind,
    Signup,
    TagRule,
)
from polis.collections.models.collection import (
    Collection,
    CollectionItem,
    Gift,
    ItemStatus,
    Membership,
    Role,
)
from polis.collections.models.tagset import (
    Nomination,
    NominationStatus,
    TagAssociation,
    TagSet,
)

__all__ = [
    "Assignment",
    "Challenge",
    "ChallengeKind",
    "Claim",
    "Collection",
    "CollectionItem",
    "Gift",
    "ItemStatus",
    "MatchingStatus",
    "Membership",
    "Nomination",
    "NominationStatus",
    "PotentialGivers",
    "Prompt",
    "PromptKind",
    "Role",
    "Signup",
    "TagAssociation",
    "TagRule",
    "TagSet",
]
