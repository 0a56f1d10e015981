"""`polis doctor`'s check of readers' counters: kudos, comments and bookmarks of each work.

The expected figure of each comes from the same definition its recount uses (kudos_recount,
counted_comments, bookmarks_recount); a wrong one is repaired by that recount.
"""

from collections.abc import Iterator

from django.db.models import Count, Q

from polis.core.doctor import Finding, id_batches
from polis.engagement.bookmarks import bookmarks_recount
from polis.engagement.comments import comments_recount, counted_comments
from polis.engagement.kudos import kudos_recount
from polis.engagement.models import Bookmark, Kudos
from polis.works.models import Work


def _grouped(queryset, **aggregate) -> dict[int, int]:
    rows = queryset.values("work_id").annotate(**aggregate)
    return {row["work_id"]: sum(v for k, v in row.items() if k != "work_id") for row in rows}


def check_counters(repair: bool) -> Iterator[Finding]:
    recounts = {
        "kudos_count": kudos_recount,
        "comment_count": comments_recount,
        "bookmark_count": bookmarks_recount,
    }
    for batch in id_batches(Work.objects.all(), desc="counters"):
        expected = {
            "kudos_count": _grouped(
                Kudos.objects.filter(work_id__in=batch),
                users=Count("user", distinct=True),
                guests=Count("guest_key", distinct=True, filter=Q(user__isnull=True)),
            ),
            "comment_count": _grouped(counted_comments().filter(work_id__in=batch), n=Count("pk")),
            "bookmark_count": _grouped(
                Bookmark.objects.filter(work_id__in=batch, private=False), n=Count("pk")
            ),
        }
        stored = Work.objects.filter(pk__in=batch).values("pk", *recounts)
        for work in stored:
            for field, recount in recounts.items():
                want = expected[field].get(work["pk"], 0)
                if work[field] != want:
                    if repair:
                        recount(work["pk"])
                    yield Finding(
                        "counters",
                        f"work {work['pk']}",
                        f"{field} {work[field]}, rows say {want}",
                        repair,
                    )
