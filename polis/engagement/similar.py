"""Similar works, computed locally: shared filter tags weighted by rarity, plus readers who
left kudos on both. Nothing new is stored about readers; only the ranking is cached.

The score of a candidate work W for a work S is

    Σ over the user-typed filter tags t shared by S and W of  ln(N / df(t))
    + KUDOS_WEIGHT × (registered readers who left kudos on both)

where N is the number of works in the search index and df(t) the number of them whose filter
set holds t. Ties go to the newer work (higher id).

Cost is bounded. Candidates come from S's rarest tags until CANDIDATE_ROWS filter rows have
been read, and from the works that S's latest KUDOS_READERS registered kudos-givers also
liked; the viewer-independent ranking (RANKED ids) is cached per version of S for
CACHE_SECONDS. Each viewer then gets the ranking through the one search path
(`works_in_order`'s `work_search`), so visibility, restricted works, the blocklist and mutes
apply as in every listing, and works by people the viewer blocked are left out too.
"""

import math
from collections import defaultdict

from django.core.cache import cache
from django.db.models import Count

from polis.accounts.models import Block, User
from polis.engagement.models import Kudos
from polis.search.models import WorkDoc
from polis.search.query import WorkFilter
from polis.search.service import page_rows, work_search
from polis.tags.models import FilterTagging, TagType
from polis.works.models import Work

KUDOS_WEIGHT = 1.0
CANDIDATE_ROWS = 5000
KUDOS_READERS = 200
RANKED = 50
SHOWN = 5
CACHE_SECONDS = 3600
TAG_TYPES = (TagType.FANDOM, TagType.RELATIONSHIP, TagType.CHARACTER, TagType.FREEFORM)


def _indexed():
    return WorkDoc.objects.values("work_id")


def similar_ranking(work: Work) -> list[tuple[int, float]]:
    """(work id, score) of the works most like `work`, best first, for any viewer."""
    version = int(work.updated_at.timestamp() * 1_000_000) if work.updated_at else 0
    key = f"polis:similar:{work.pk}:{version}"
    ranking = cache.get(key)
    if ranking is None:
        ranking = _rank(work)
        cache.set(key, ranking, CACHE_SECONDS)
    return ranking


def _rank(work: Work) -> list[tuple[int, float]]:
    tags = set(
        FilterTagging.objects.filter(work_id=work.pk, tag__type__in=TAG_TYPES).values_list(
            "tag_id", flat=True
        )
    )
    total = WorkDoc.objects.count()
    df = dict(
        FilterTagging.objects.filter(tag_id__in=tags, work_id__in=_indexed())
        .values("tag_id")
        .annotate(n=Count("work_id"))
        .values_list("tag_id", "n")
    )
    idf = {tag: math.log(total / df[tag]) for tag in tags if df.get(tag)}

    # The rarest tags, as many as CANDIDATE_ROWS filter rows hold (at least one), in one query.
    rarest, read = [], 0
    for tag in sorted(idf, key=lambda t: (df[t], t)):
        if rarest and read + df[tag] > CANDIDATE_ROWS:
            break
        rarest.append(tag)
        read += df[tag]
    rows = FilterTagging.objects.filter(tag_id__in=rarest, work_id__in=_indexed())
    candidates = set(rows.values_list("work_id", flat=True)[:CANDIDATE_ROWS]) if rarest else set()
    readers = list(
        Kudos.objects.filter(work_id=work.pk, user__isnull=False)
        .order_by("-created_at", "-pk")
        .values_list("user_id", flat=True)[:KUDOS_READERS]
    )
    shared_readers: dict[int, int] = {}
    if readers:
        liked = (
            Kudos.objects.filter(user_id__in=readers)
            .exclude(work_id=work.pk)
            .values("work_id")
            .annotate(n=Count("user_id", distinct=True))
            .order_by("-n", "-work_id")
            .values_list("work_id", "n")
        )
        shared_readers = dict(liked[:CANDIDATE_ROWS])
        candidates.update(shared_readers)
    candidates.discard(work.pk)
    if not candidates:
        return []

    scores: dict[int, float] = defaultdict(float)
    shared = FilterTagging.objects.filter(work_id__in=candidates, tag_id__in=list(idf))
    for work_id, tag_id in shared.values_list("work_id", "tag_id"):
        scores[work_id] += idf[tag_id]
    for work_id, n in shared_readers.items():
        scores[work_id] += KUDOS_WEIGHT * n
    ranked = sorted(
        ((work_id, score) for work_id, score in scores.items() if score > 0),
        key=lambda item: (-item[1], -item[0]),
    )
    return [(work_id, round(score, 6)) for work_id, score in ranked[:RANKED]]


def similar_enabled(viewer: User) -> bool:
    """Whether this viewer sees similar works (a reader can turn them off; guests see them)."""
    return not (viewer.is_authenticated and not viewer.similar_works_enabled)


def similar_works(
    *, viewer: User, work: Work, limit: int = SHOWN, blurbs: bool = False
) -> list[Work]:
    """The works like `work` that this viewer may see and has not muted, blocked or
    blocklisted, best first; none when the viewer turned similar works off. With `blurbs`
    (the work page) their cached blurbs (`polis.search.fragments`) instead of full works."""
    if not similar_enabled(viewer):
        return []
    ranking = similar_ranking(work)
    if not ranking:
        return []
    order = [work_id for work_id, _ in ranking]
    blocked = (
        list(Block.objects.filter(user=viewer).values_list("blocked_id", flat=True))
        if viewer.is_authenticated
        else []
    )
    results = work_search(
        viewer=viewer,
        f=WorkFilter(work_ids=order, hidden_creator_ids=sorted(blocked)),
        per_page=len(order),
        with_facets=False,
        ids_only=True,
    )
    # Only the few shown are loaded (or taken from the cache), not every ranked one.
    found = set(results.page.object_list)
    shown = [work_id for work_id in order if work_id in found][:limit]
    return page_rows(viewer, shown, blurbs=blurbs)
