"""A creator's comment on their own work in an anonymous collection: "Anonymous Creator".

As on AO3, while a work's creators are hidden, a comment its creator leaves on it must not
name them either. Every surface asks `Comment.by_anonymous_creator` (through `author_name`
and `shown_pseud`); listings mark their comments in bulk here first, so the answer costs at
most one query per page instead of one per comment.
"""

from collections.abc import Iterable

from polis.collections.anonymity import anonymous_work_ids, is_anonymous
from polis.engagement.models import ANONYMOUS_CREATOR, Comment
from polis.works.models import Creatorship, Work

__all__ = ["ANONYMOUS_CREATOR", "mark_anonymous_creators"]


def mark_anonymous_creators(comments: Iterable[Comment], *, work: Work | None = None) -> None:
    """Fill `by_anonymous_creator` on each comment; `work` when they all belong to it (its
    selected concealment then saves the lookup)."""
    pending = [c for c in comments if "by_anonymous_creator" not in c.__dict__]
    authored = [c for c in pending if c.user_id]
    for comment in pending:
        comment.__dict__["by_anonymous_creator"] = False
    if not authored:
        return
    if work is not None:
        anonymous = {work.pk} if is_anonymous(work) else set()
    else:
        anonymous = anonymous_work_ids(c.work_id for c in authored)
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
