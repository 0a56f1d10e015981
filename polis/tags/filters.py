"""Filter sets: the canonical tags a work is found by, and keeping them exact after wrangling.

A work's filter set holds its canonical tags, the canonical targets of its synonyms, and every
meta tag above those (any depth). Unwrangled tags are in no filter set until wrangled.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction

from polis.tags.models import FilterTagging, MetaTagging, Tag

# Wrangling changes touching more works than this run in a background task.
SYNC_LIMIT = 500
_BATCH = 500


def meta_ancestors(tag_ids: Iterable[int]) -> dict[int, set[int]]:
    """For each tag, every meta tag above it (transitively), loading the links level by level."""
    result: dict[int, set[int]] = {tag_id: set() for tag_id in tag_ids}
    parents_of: dict[int, set[int]] = defaultdict(set)
    frontier = set(result)
    seen: set[int] = set()
    while frontier:
        seen |= frontier
        links = MetaTagging.objects.filter(sub_id__in=frontier).values_list("sub_id", "meta_id")
        frontier = set()
        for sub_id, meta_id in links:
            parents_of[sub_id].add(meta_id)
            if meta_id not in seen:
                frontier.add(meta_id)
    for tag_id in result:
        stack = list(parents_of[tag_id])
        while stack:
            meta_id = stack.pop()
            if meta_id not in result[tag_id]:
                result[tag_id].add(meta_id)
                stack.extend(parents_of[meta_id])
    return result


def compute_filter_sets(work_ids: list[int]) -> dict[int, set[int]]:
    """The filter set each of these works should have, from their current taggings."""
    from polis.works.models import Tagging

    rows = Tagging.objects.filter(work_id__in=work_ids).values_list(
        "work_id", "tag__canonical", "tag_id", "tag__merger_id"
    )
    direct: dict[int, set[int]] = {work_id: set() for work_id in work_ids}
    for work_id, canonical, tag_id, merger_id in rows:
        if canonical:
            direct[work_id].add(tag_id)
        elif merger_id:
            direct[work_id].add(merger_id)
    metas = meta_ancestors({tag_id for tags in direct.values() for tag_id in tags})
    return {
        work_id: tags.union(*(metas[tag_id] for tag_id in tags)) if tags else set()
        for work_id, tags in direct.items()
    }


def filter_sets_recompute(work_ids: Iterable[int]) -> set[int]:
    """Bring the stored filter sets of these works up to date; return the works that changed."""
    changed: set[int] = set()
    ids = sorted(set(work_ids))
    for start in range(0, len(ids), _BATCH):
        batch = ids[start : start + _BATCH]
        with transaction.atomic():
            wanted = compute_filter_sets(batch)
            have: dict[int, set[int]] = defaultdict(set)
            for work_id, tag_id in FilterTagging.objects.filter(work_id__in=batch).values_list(
                "work_id", "tag_id"
            ):
                have[work_id].add(tag_id)
            to_add = []
            for work_id, tags in wanted.items():
                missing = tags - have[work_id]
                extra = have[work_id] - tags
                if extra:
                    FilterTagging.objects.filter(work_id=work_id, tag_id__in=extra).delete()
                to_add.extend(FilterTagging(work_id=work_id, tag_id=t) for t in missing)
                if missing or extra:
                    changed.add(work_id)
            FilterTagging.objects.bulk_create(to_add, ignore_conflicts=True)
    return changed


def works_affected_by(tag_ids: Iterable[int]) -> set[int]:
    """Works whose filter sets can change when these tags are wrangled.

    That is every work tagged with one of the tags, one of their synonyms, or one of the tags
    below them in the meta hierarchy (or their synonyms).
    """
    from polis.works.models import Tagging

    tags = set(tag_ids)
    frontier = set(tags)
    while frontier:
        below = set(
            MetaTagging.objects.filter(meta_id__in=frontier).values_list("sub_id", flat=True)
        )
        frontier = below - tags
        tags |= below
    tags |= set(Tag.objects.filter(merger_id__in=tags).values_list("pk", flat=True))
    return set(Tagging.objects.filter(tag_id__in=tags).values_list("work_id", flat=True))
