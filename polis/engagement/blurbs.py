"""Works as a blurb shows them, for the listings of this app (bookmarks, history)."""

from django.db.models import Prefetch, QuerySet

from polis.works.models import Work
from polis.works.selectors import with_display_data


def blurb_works() -> QuerySet[Work]:
    """Tags and creators, in a fixed number of queries."""
    return with_display_data(Work.objects.all())


def work_prefetch(field: str = "work") -> Prefetch:
    return Prefetch(field, queryset=blurb_works())
