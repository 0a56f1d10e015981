"""Reads of works that need joins: blurbs and work pages with their tags and creators.

Listings go through `polis.search.service.work_search`, which loads its page of works here.
"""

from django.db.models import Prefetch, QuerySet, prefetch_related_objects

from polis.works.models import Creatorship, Tagging, Work


def _display_prefetches() -> list[Prefetch]:
    return [
        Prefetch("taggings", queryset=Tagging.objects.select_related("tag")),
        Prefetch(
            "creatorships",
            queryset=Creatorship.objects.filter(accepted=True).select_related("pseud__user"),
        ),
    ]


def with_display_data(works: QuerySet[Work]) -> QuerySet[Work]:
    """Prefetch what a blurb or a work page shows, in a fixed number of queries."""
    return works.prefetch_related(*_display_prefetches())


def add_display_data(work: Work) -> Work:
    """Load the display data onto a work already read (the work page: no second read)."""
    prefetch_related_objects([work], *_display_prefetches())
    return work


def work_for_display(work: Work) -> Work:
    """Reload one work with its tags and creators prefetched."""
    return with_display_data(Work.objects.filter(pk=work.pk)).get()
