"""The reads behind the catalog that the search service does not answer: fandoms by size and
a reader's own shelves. Each starts from `visible_works`, so drafts never appear."""

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from polis.accounts.models import User
from polis.engagement.bookmarks import bookmarks_of_user
from polis.engagement.reading import marked_for_later
from polis.opds.auth import Viewer
from polis.tags.models import FilterTagging, Tag, TagType
from polis.works.access import visible_works
from polis.works.models import Work
from polis.works.selectors import with_display_data


@dataclass(frozen=True)
class FandomCount:
    tag: Tag
    works: int


def _fandom_counts(viewer: Viewer) -> QuerySet:
    return (
        FilterTagging.objects.filter(
            tag__type=TagType.FANDOM, tag__canonical=True, work__in=visible_works(viewer)
        )
        .values("tag_id")
        .annotate(works=Count("work_id"))
    )


def fandom_total(viewer: Viewer) -> int:
    return _fandom_counts(viewer).count()


def fandoms_by_size(viewer: Viewer, *, offset: int, limit: int) -> list[FandomCount]:
    """Canonical fandoms with the most works this viewer may see (ties: by name)."""
    ordered = _fandom_counts(viewer).order_by("-works", "tag__name", "tag_id")
    rows = list(ordered[offset : offset + limit])
    tags = Tag.objects.in_bulk([row["tag_id"] for row in rows])
    return [FandomCount(tags[row["tag_id"]], row["works"]) for row in rows]


def bookmarked_work_ids(user: User) -> list[int]:
    """The works the user bookmarked and may still read, newest bookmark first."""
    bookmarks = bookmarks_of_user(user, user).prefetch_related(None)
    return list(bookmarks.filter(work__in=visible_works(user)).values_list("work_id", flat=True))


def later_work_ids(user: User) -> list[int]:
    """Marked for Later (works they may still read), newest mark first."""
    return list(marked_for_later(user).prefetch_related(None).values_list("work_id", flat=True))


def works_in_order(work_ids: list[int]) -> list[Work]:
    """These works with what an entry shows, in the order given."""
    works = with_display_data(Work.objects.filter(pk__in=work_ids)).in_bulk()
    return [works[work_id] for work_id in work_ids if work_id in works]
