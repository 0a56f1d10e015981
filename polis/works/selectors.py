"""Reads of works that need joins: listings with their blurbs, work pages with their tags."""

from django.db.models import Prefetch, QuerySet

from polis.accounts.models import Pseud, User
from polis.works.access import visible_works
from polis.works.models import Creatorship, Tagging, Work


def with_display_data(works: QuerySet[Work]) -> QuerySet[Work]:
    """Prefetch what a blurb or a work page shows, in a fixed number of queries."""
    # The concealment row (anonymous / unrevealed, kept by collections) decides the byline.
    return works.select_related("concealment").prefetch_related(
        Prefetch("taggings", queryset=Tagging.objects.select_related("tag")),
        Prefetch(
            "creatorships",
            queryset=Creatorship.objects.filter(accepted=True).select_related("pseud__user"),
        ),
    )


def latest_works(*, viewer: User) -> QuerySet[Work]:
    return with_display_data(visible_works(viewer)).order_by("-revised_at", "-pk")


def works_by_user(*, viewer: User, user: User) -> QuerySet[Work]:
    works = visible_works(viewer).filter(
        pk__in=Creatorship.objects.filter(pseud__user=user, accepted=True).values("work_id")
    )
    return with_display_data(works).order_by("-revised_at", "-pk")


def works_by_pseud(*, viewer: User, pseud: Pseud) -> QuerySet[Work]:
    works = visible_works(viewer).filter(
        pk__in=Creatorship.objects.filter(pseud=pseud, accepted=True).values("work_id")
    )
    return with_display_data(works).order_by("-revised_at", "-pk")


def works_tagged(*, viewer: User, tag_ids: list[int]) -> QuerySet[Work]:
    """Works carrying any of these tags (a canonical tag and its synonyms, say)."""
    works = visible_works(viewer).filter(
        pk__in=Tagging.objects.filter(tag_id__in=tag_ids).values("work_id")
    )
    return with_display_data(works).order_by("-revised_at", "-pk")


def work_for_display(work: Work) -> Work:
    """Reload one work with its tags and creators prefetched."""
    return with_display_data(Work.objects.filter(pk=work.pk)).get()
