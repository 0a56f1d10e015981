"""Counts as a viewer sees them: what users they muted said or saved is not counted.

For listings: `muted_counts(viewer, work_ids)` answers a whole page in two grouped queries
(none at all for a viewer who muted nobody); subtract its numbers from the works' counters.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count

from polis.accounts.models import User
from polis.engagement.models import Bookmark, Comment, CommentStatus
from polis.engagement.relations import muted_user_ids
from polis.works.models import Work


@dataclass(frozen=True)
class Hidden:
    comments: int = 0
    bookmarks: int = 0


def muted_counts(viewer: User | AnonymousUser, work_ids: Iterable[int]) -> dict[int, Hidden]:
    """Per work: comments and public bookmarks by users the viewer muted (only non-zero)."""
    muted = muted_user_ids(viewer)
    ids = set(work_ids)
    if not muted or not ids:
        return {}
    comments = dict(
        Comment.objects.filter(
            work_id__in=ids,
            user_id__in=muted,
            status=CommentStatus.PUBLISHED,
            hidden=False,
            staff_hidden=False,
            deleted=False,
        )
        .values("work_id")
        .annotate(n=Count("pk"))
        .values_list("work_id", "n")
    )
    bookmarks = dict(
        Bookmark.objects.filter(work_id__in=ids, user_id__in=muted, private=False, hidden=False)
        .values("work_id")
        .annotate(n=Count("pk"))
        .values_list("work_id", "n")
    )
    return {
        work_id: Hidden(comments=comments.get(work_id, 0), bookmarks=bookmarks.get(work_id, 0))
        for work_id in set(comments) | set(bookmarks)
    }


def hide_muted_counts(viewer: User | AnonymousUser, works: list[Work]) -> list[Work]:
    """Lower the comment and bookmark counts shown to this viewer by what muted users left.

    Changes the in-memory objects only (they are display copies), never the stored counters.
    """
    hidden = muted_counts(viewer, [work.pk for work in works])
    for work in works:
        if work.pk in hidden:
            work.comment_count = max(0, work.comment_count - hidden[work.pk].comments)
            work.bookmark_count = max(0, work.bookmark_count - hidden[work.pk].bookmarks)
    return works
