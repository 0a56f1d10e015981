"""A creator's comment on their own work in an anonymous collection: "Anonymous Creator".

As on AO3, while a work's creators are hidden, a comment its creator leaves on it must not
name them either. Every surface asks `Comment.by_anonymous_creator` (through `author_name`
and `shown_pseud`); listings mark their comments in bulk here first, so the answer costs at
most one query per page instead of one per comment.
"""

from collections.abc import Iterable

from polis.engagement.models import ANONYMOUS_CREATOR, Comment
from polis.works.models import Creatorship, Work
from polis.works.visibility import can_see_creators

__all__ = ["ANONYMOUS_CREATOR", "mark_anonymous_creators"]


def mark_anonymous_creators(comments: Iterable[Comment], *, work: Work | None = None) -> None:
    """Fill `by_anonymous_creator` on each comment; `work` when they all belong to it (its
    `anonymous` then saves the lookup)."""
    pending = [c for c in comments if "by_anonymous_creator" not in c.__dict__]
    authored = [c for c in pending if c.user_id]
    for comment in pending:
        comment.__dict__["by_anonymous_creator"] = False
    if not authored:
        return
    if work is not None:
        anonymous = set() if can_see_creators(work) else {work.pk}
    else:
        anonymous = set(
            Work.objects.filter(pk__in={c.work_id for c in authored}, anonymous=True).values_list(
                "pk", flat=True
            )
        )
    if not anonymous:
        return
    creators = set(
        Creatorship.objects.filter(work_id__in=anonymous, accepted=True).values_list(
            "work_id", "pseud__user_id"
        )
    )
    for comment in authored:
        comment.__dict__["by_anonymous_creator"] = (comment.work_id, comment.user_id) in creators


def by_anonymous_creator(comment: Comment) -> bool:
    mark_anonymous_creators([comment])
    return comment.__dict__["by_anonymous_creator"]
