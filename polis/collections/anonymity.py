"""What other surfaces ask collections: is a work anonymous or unrevealed, and where is it?

Every surface that names a work's creators (pages, listings, feeds, downloads, the API,
search, subscriptions) calls `is_anonymous` or `byline_pseuds`; every surface that shows or
lists a work respects `is_unrevealed` through `polis.works.access` (see the report's
integration list). Answers come from `Concealment` rows, which the collections actions keep
exact; a work page that selected `concealment` with the work asks no extra query.
"""

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from polis.accounts.models import Pseud, User
from polis.collections.access import can_see_unrevealed
from polis.collections.models import Collection, CollectionItem, Concealment, Gift, ItemStatus
from polis.works.models import Work, creator_pseuds

ANONYMOUS = "Anonymous"


def _concealment(work: Work) -> Concealment | None:
    try:
        return work.concealment
    except Concealment.DoesNotExist:
        return None


def is_anonymous(work: Work) -> bool:
    """Whether the work's creators must show as "Anonymous" (to everyone, on every surface)."""
    row = _concealment(work)
    return bool(row and row.anonymous)


def is_unrevealed(work: Work) -> bool:
    """Whether the work is hidden until its collection reveals it."""
    row = _concealment(work)
    return bool(row and row.unrevealed)


def unrevealed_hidden_from(user: User | AnonymousUser, work: Work) -> bool:
    """True when `work` is unrevealed and this viewer is neither a creator nor a maintainer."""
    return is_unrevealed(work) and not can_see_unrevealed(user, work)


def anonymous_work_ids(work_ids: Iterable[int]) -> set[int]:
    return set(
        Concealment.objects.filter(work_id__in=set(work_ids), anonymous=True).values_list(
            "work_id", flat=True
        )
    )


def unrevealed_work_ids(work_ids: Iterable[int]) -> set[int]:
    return set(
        Concealment.objects.filter(work_id__in=set(work_ids), unrevealed=True).values_list(
            "work_id", flat=True
        )
    )


def unrevealed_works() -> QuerySet[Concealment]:
    """`.values("work_id")` of every unrevealed work, for `exclude(pk__in=...)`."""
    return Concealment.objects.filter(unrevealed=True).values("work_id")


def anonymous_works() -> QuerySet[Concealment]:
    return Concealment.objects.filter(anonymous=True).values("work_id")


def anonymous_sql(work_column: str) -> str:
    """An SQL condition true when the work in `work_column` is anonymous (no parameters)."""
    return (
        "EXISTS (SELECT 1 FROM collections_concealment cc"
        f" WHERE cc.work_id = {work_column} AND cc.anonymous)"
    )


def byline_pseuds(work: Work) -> list[Pseud]:
    """The pseuds a byline names: none for an anonymous work (the byline says Anonymous)."""
    return [] if is_anonymous(work) else creator_pseuds(work)


def byline_text(work: Work) -> str:
    return ", ".join(str(pseud) for pseud in byline_pseuds(work)) or ANONYMOUS


def concealment_key(work_id: int) -> str:
    """A short string that changes when the work's concealment does (for download caches)."""
    row = Concealment.objects.filter(work_id=work_id).values_list("anonymous", "unrevealed")
    anonymous, unrevealed = row.first() or (False, False)
    return f"a{int(anonymous)}u{int(unrevealed)}"


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


def blank_anonymous_creators(works: Iterable[Work]) -> list[Work]:
    """For pages that render the shared blurb: empty the prefetched creators of anonymous
    works, so the byline falls back to "Anonymous" (expects `with_display_data`)."""
    works = list(works)
    hidden = anonymous_work_ids(work.pk for work in works)
    for work in works:
        if work.pk in hidden:
            work.__dict__.setdefault("_prefetched_objects_cache", {})["creatorships"] = []
    return works
