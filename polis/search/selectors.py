"""Reads of a reader's saved searches and blocklist, and the blocklist as listings apply it."""

from dataclasses import dataclass, field

from django.db.models import QuerySet

from polis.accounts.models import User
from polis.search.models import SavedSearch, TagBlock


@dataclass
class Blocklist:
    """A blocklist resolved for filtering: canonical tags through filter sets, the rest as typed."""

    filter_tags: list[int] = field(default_factory=list)
    direct_tags: list[int] = field(default_factory=list)
    count: int = 0


def saved_searches_of(user: User) -> QuerySet[SavedSearch]:
    return SavedSearch.objects.filter(user=user).order_by("-created_at", "-pk")


def tag_blocks_of(user: User) -> QuerySet[TagBlock]:
    return (
        TagBlock.objects.filter(user=user)
        .select_related("tag", "tag__merger")
        .order_by("tag__key", "pk")
    )


def blocklist_for_filter(user: User) -> Blocklist:
    """One query: a synonym blocks its canonical tag (and so everything under it); an
    unwrangled tag blocks the works that carry it as written."""
    if not user.is_authenticated:
        return Blocklist()
    blocklist = Blocklist()
    for tag_id, canonical, merger_id in TagBlock.objects.filter(user=user).values_list(
        "tag_id", "tag__canonical", "tag__merger_id"
    ):
        blocklist.count += 1
        if canonical:
            blocklist.filter_tags.append(tag_id)
        elif merger_id:
            blocklist.filter_tags.append(merger_id)
        else:
            blocklist.direct_tags.append(tag_id)
    return blocklist
