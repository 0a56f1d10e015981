"""Background work for tags: recomputing filter sets after wrangling that touches many works."""

from django_tasks import task


@task()
def refresh_filter_sets(tag_ids: list[int]) -> int:
    """Recompute filter sets and index entries of every work these tags touch."""
    from polis.tags.wrangling import refresh_works_for

    return refresh_works_for(tag_ids)
