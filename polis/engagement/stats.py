"""Statistics for creators: each posted work's hits, kudos, threads, bookmarks, subscriptions."""

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Lower

from polis.accounts.models import User
from polis.engagement.models import Comment, Subscription
from polis.works.models import Creatorship, Work

# ?sort= value → what it orders by; numbers biggest first unless ?direction=asc.
SORTS = {
    "title": Lower("title"),
    "date": "published_at",
    "words": "word_count",
    "hits": "hit_count",
    "kudos": "kudos_count",
    "threads": "thread_count",
    "bookmarks": "bookmark_count",
    "subscriptions": "subscription_count",
}
SORT_LABELS = {
    "title": "Title",
    "date": "Date",
    "words": "Word Count",
    "hits": "Hits",
    "kudos": "Kudos",
    "threads": "Comment Threads",
    "bookmarks": "Bookmarks",
    "subscriptions": "Subscriptions",
}


def _count(queryset: QuerySet) -> Coalesce:
    counted = queryset.order_by().values("work_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def work_stats(user: User, *, sort: str = "hits", descending: bool = True) -> QuerySet[Work]:
    """The user's posted works with their statistics, in one query."""
    if sort not in SORTS:
        sort = "hits"
    threads = Comment.objects.filter(
        work_id=OuterRef("pk"), parent__isnull=True, status="published", deleted=False
    )
    subscriptions = Subscription.objects.filter(work_id=OuterRef("pk"))
    works = Work.objects.filter(
        posted=True,
        pk__in=Creatorship.objects.filter(pseud__user=user, accepted=True).values("work_id"),
    ).annotate(thread_count=_count(threads), subscription_count=_count(subscriptions))
    order = SORTS[sort]
    if isinstance(order, str):
        order_expr = f"-{order}" if descending else order
        return works.order_by(order_expr, "pk")
    return works.order_by(order.desc() if descending else order.asc(), "pk")


def totals(works: list[Work]) -> dict[str, int]:
    return {
        "words": sum(w.word_count for w in works),
        "hits": sum(w.hit_count for w in works),
        "kudos": sum(w.kudos_count for w in works),
        "threads": sum(w.thread_count for w in works),
        "bookmarks": sum(w.bookmark_count for w in works),
        "subscriptions": sum(w.subscription_count for w in works),
    }
