"""Background work of a ban with deletion: the account's works and comments, in batches.

Each batch is one short transaction through the works' and comments' own delete actions, so
the index, counts and caches follow as they do for any deletion, and no transaction holds a
spammer's thousands of rows at once. The task runs batches until nothing is left.
"""

from django.db import transaction
from django.db.models import Exists, OuterRef
from django_tasks import task

from polis.accounts.models import User
from polis.core.audit import record
from polis.engagement.comments import comment_delete
from polis.engagement.models import Comment
from polis.works.actions import work_delete
from polis.works.models import Creatorship, Work

WORKS_PER_BATCH = 20
COMMENTS_PER_BATCH = 200


def _own_works(user_id: int):
    """Works this user alone created (co-created works stay, with their other creators)."""
    others = Creatorship.objects.filter(work=OuterRef("pk")).exclude(pseud__user_id=user_id)
    return (
        Work.objects.filter(creatorships__pseud__user_id=user_id)
        .exclude(Exists(others))
        .distinct()
        .order_by("pk")
    )


def purge_batch(*, user_id: int, actor: User | None) -> tuple[str, int]:
    """Delete one batch of the user's works, or once they are gone, of their comments:
    ("works" or "comments", how many went); ("comments", 0) when nothing is left."""
    with transaction.atomic():
        works = list(_own_works(user_id)[:WORKS_PER_BATCH])
        for work in works:
            work_delete(actor=actor, work=work)
    if works:
        return "works", len(works)
    with transaction.atomic():
        # Deepest first: a reply goes before the comment it answers, so no placeholder is
        # left for a thread the user wrote alone.
        comments = list(
            Comment.objects.filter(user_id=user_id, deleted=False).order_by("-depth", "pk")[
                :COMMENTS_PER_BATCH
            ]
        )
        for comment in comments:
            comment_delete(actor=actor, comment=comment)
    return "comments", len(comments)


def user_content_purge(*, user_id: int, actor_id: int | None = None) -> dict:
    """Delete everything the banned user made, batch by batch; counts for the audit log."""
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    counts = {"works": 0, "comments": 0}
    while True:
        kind, deleted = purge_batch(user_id=user_id, actor=actor)
        if not deleted:
            break
        counts[kind] += deleted
    user = User.objects.filter(pk=user_id).first()
    record(
        actor=actor,
        verb="user.content_delete",
        target_type="user",
        target_id=user_id,
        target_label=user.username if user else "",
        reason="Banned with deletion of their works and comments.",
        details=counts,
    )
    return counts


@task()
def purge_user_content(user_id: int, actor_id: int | None = None) -> dict:
    return user_content_purge(user_id=user_id, actor_id=actor_id)
