"""Running a listing: filters in, one page of works (with their blurbs) and facet counts out.

Every list of works goes through `work_search`, so visibility, the blocklist and mutes are
the same everywhere. Scopes are WorkFilter fields: a tag (`tag_scope`), a creator, or a set of
works (`work_ids`: a collection's items, a series' parts). `works_in_order` is the same
search for a list whose order is its own (a series).
"""

from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page
from django.db.models import Max

from polis.accounts.hooks import muted_user_ids
from polis.accounts.models import User
from polis.core.pagination import counted_page
from polis.search import accel, accel_broad
from polis.search.accel_query import SqlParts, matching
from polis.search.backends.sql import FACETS_PER_TYPE, get_backend
from polis.search.fragments import cached_blurbs
from polis.search.hooks import adjust_counts
from polis.search.models import WorkChange
from polis.search.query import Sort, WorkFilter, query_tree
from polis.search.querylang import rank_tree, walk
from polis.search.selectors import Blocklist, blocklist_for_filter
from polis.tags.models import Tag, TagType
from polis.works.models import Series, SeriesWork, Work
from polis.works.selectors import with_display_data
from polis.works.series import shown_in_series_q

# Deep pages cost an OFFSET scan; AO3 stops at page 5,000 of 20 for the same reason.
MAX_PAGE = 5000

FACET_TYPES = [
    (TagType.RATING, "rating_ids", "Ratings"),
    (TagType.WARNING, "archive_warning_ids", "Warnings"),
    (TagType.CATEGORY, "category_ids", "Categories"),
    (TagType.FANDOM, "fandom_ids", "Fandoms"),
    (TagType.CHARACTER, "character_ids", "Characters"),
    (TagType.RELATIONSHIP, "relationship_ids", "Relationships"),
    (TagType.FREEFORM, "freeform_ids", "Additional Tags"),
]


@dataclass
class Facet:
    tag: Tag
    count: int


@dataclass
class FacetGroup:
    tag_type: str
    param: str
    label: str
    facets: list[Facet] = field(default_factory=list)


@dataclass
class SearchResults:
    page: Page
    facets: list[FacetGroup]
    # How many tags of the viewer's blocklist this listing left out (for the notice).
    blocked_tags: int = 0

    @property
    def total(self) -> int:
        return self.page.paginator.count


def tag_scope(tag: Tag) -> dict[str, list[int]]:
    """What a tag's works page lists: a canonical tag its filter set (synonyms and sub tags
    included), any other tag the works carrying it as written."""
    return {"include_tags": [tag.pk]} if tag.canonical else {"direct_tags": [tag.pk]}


def viewer_filter(viewer: User, f: WorkFilter, blocklist: Blocklist | None = None) -> WorkFilter:
    """Apply what every listing owes this viewer: restricted works only when logged in, never
    a work carrying a tag from their blocklist, never a work by someone they muted."""
    f.include_restricted = viewer.is_authenticated
    muted = muted_user_ids(viewer)
    if muted:
        f.hidden_creator_ids = sorted(set(f.hidden_creator_ids) | set(muted))
    blocklist = blocklist if blocklist is not None else blocklist_for_filter(viewer)
    if blocklist.count:
        f.exclude_tags = sorted(set(f.exclude_tags) | set(blocklist.filter_tags))
        f.exclude_direct_tags = sorted(set(f.exclude_direct_tags) | set(blocklist.direct_tags))
    return f


def work_search(
    *,
    viewer: User,
    f: WorkFilter,
    page_number: int = 1,
    per_page: int | None = None,
    with_facets: bool = True,
    blurbs: bool = False,
    ids_only: bool = False,
) -> SearchResults:
    """One page of works this viewer may see. With `blurbs` (HTML listings) the page holds
    `fragments.Blurb` rows, rendered once and kept in the cache, instead of full works."""
    per_page = per_page or settings.POLIS_WORKS_PER_PAGE
    page_number = max(page_number, 1)
    blocklist = blocklist_for_filter(viewer)
    f = viewer_filter(viewer, f, blocklist)
    backend = get_backend()
    # Past MAX_PAGE the page is empty: the offset stops there, and its works are dropped.
    offset = (min(page_number, MAX_PAGE + 1) - 1) * per_page
    accelerator = accel.get() if accel.enabled() and accel.Accelerator.supports(f) else None
    if accelerator is not None:
        ids, total, facet_rows = _accelerated(
            accelerator, backend, f, offset, per_page, facets=with_facets
        )
    else:
        ids, total = backend.search(f, offset=offset, limit=per_page)
        facet_rows = backend.facets(f) if with_facets and total else []
    if page_number > MAX_PAGE:
        ids = []
    ids = [int(work_id) for work_id in ids]
    # `ids_only`: the page holds the works' ids (the caller picks and loads; see page_rows).
    works = ids if ids_only else page_rows(viewer, ids, blurbs=blurbs)
    page = counted_page(works, total=total, number=page_number, per_page=per_page)
    facets = facet_groups(facet_rows) if with_facets and total else []
    return SearchResults(page=page, facets=facets, blocked_tags=blocklist.count)


def page_rows(viewer: User, ids: list[int], *, blurbs: bool) -> list:
    """What a listing shows of these works (already searched for this viewer): blurbs from
    the cache, or full works with the viewer's counts."""
    # A viewer with mutes sees lowered counts: their blurbs are rendered for them alone.
    if blurbs and not muted_user_ids(viewer):
        return cached_blurbs(ids)
    by_id = {work.pk: work for work in with_display_data(Work.objects.filter(pk__in=ids))}
    # Counts less what muted users left (engagement registers this, see polis.search.hooks).
    return adjust_counts(viewer, [by_id[work_id] for work_id in ids if work_id in by_id])


def latest_works(
    *, viewer: User, f: WorkFilter, limit: int = 5, blurbs: bool = False
) -> SearchResults:
    """The newest works of a scope for a page's "latest works" (a profile, a tag): through
    the search like every listing, so the blocklist and mutes apply and the count agrees."""
    return work_search(viewer=viewer, f=f, per_page=limit, with_facets=False, blurbs=blurbs)


def home_works(*, viewer: User) -> list:
    """The home page's latest works as blurbs, kept ready: the newest page of the whole
    archive is asked of the search once per change-log mark (any change to any work moves
    it), per kind of viewer (guests do not see restricted works). A viewer with a blocklist
    or mutes gets their own answer."""
    if muted_user_ids(viewer) or blocklist_for_filter(viewer).count:
        return list(work_search(viewer=viewer, f=WorkFilter(), with_facets=False).page)
    mark = WorkChange.objects.aggregate(mark=Max("id"))["mark"] or 0
    per_page = settings.POLIS_WORKS_PER_PAGE
    key = f"home:{int(viewer.is_authenticated)}:{per_page}:{mark}"
    ids = cache.get(key)
    if ids is None:
        results = work_search(viewer=viewer, f=WorkFilter(), with_facets=False, blurbs=True)
        blurbs = list(results.page)
        cache.set(key, [row.pk for row in blurbs], timeout=settings.POLIS_FRAGMENT_SECONDS)
        return blurbs
    return cached_blurbs(ids)


def works_in_order(*, viewer: User, work_ids: list[int]) -> list[Work]:
    """Those of these works that a listing shows this viewer, in the order given.

    For lists whose order is their own (a series' parts): the same search as every listing
    decides which works appear (visibility, blocklist, mutes), then the caller's order stands.
    """
    wanted = list(dict.fromkeys(work_ids))
    if not wanted:
        return []
    results = work_search(
        viewer=viewer, f=WorkFilter(work_ids=wanted), per_page=len(wanted), with_facets=False
    )
    found = {work.pk: work for work in results.page.object_list}
    return [found[work_id] for work_id in wanted if work_id in found]


def series_entries(*, viewer: User, series: Series) -> list[SeriesWork]:
    """The series' parts this viewer's listings would show, by position, each with its work
    (blurb data and the viewer's counts) set."""
    # Only the side of the series it shows (named or anonymous works, polis.works.series).
    shown = SeriesWork.objects.filter(series=series).filter(shown_in_series_q())
    entries = list(shown.order_by("position", "pk"))
    works = {
        work.pk: work
        for work in works_in_order(viewer=viewer, work_ids=[e.work_id for e in entries])
    }
    listed = [entry for entry in entries if entry.work_id in works]
    for entry in listed:
        entry.work = works[entry.work_id]
    return listed


def _accelerated(accelerator, backend, f: WorkFilter, offset: int, limit: int, facets=True):
    tree = query_tree(f)
    rank = None
    known = {}
    if f.sort == Sort.BEST:
        rank = {}
        ranked = rank_tree(tree)
        if ranked is not None:
            rank = backend.text_matches(f, within_tag=accelerator.rarest(f.include_tags))
            exact = all(getattr(leaf, "field", "") in {"", "title"} for leaf, _ in walk(tree))
            if ranked == tree and exact:
                # The works the rank lists are those matching the query (within the tag).
                known[tree] = np.sort(np.fromiter(rank, np.int64, len(rank)))
    if tree is None and rank is None:
        # No query: listings over nearly every work have a faster path (accel_broad).
        return accel_broad.answer(
            accelerator, f, None, offset, limit, None, FACETS_PER_TYPE, facets=facets
        )
    found = accelerator.candidates(f, None)
    if tree is not None:
        found = found[matching(accelerator, tree, found, SqlParts(backend, known))]
    return accel_broad.answer_found(
        accelerator, f, found, offset, limit, rank, FACETS_PER_TYPE, facets=facets
    )


def facet_groups(rows: list[tuple[int, str, int]]) -> list[FacetGroup]:
    """The ten most frequent tags of each type; ties go to the older tag in both engines."""
    tags = Tag.objects.in_bulk([tag_id for tag_id, _, _ in rows])
    groups = {
        tag_type: FacetGroup(tag_type, param, label) for tag_type, param, label in FACET_TYPES
    }
    for tag_id, tag_type, count in rows:
        if tag_type in groups and tag_id in tags:
            groups[tag_type].facets.append(Facet(tag=tags[tag_id], count=count))
    for group in groups.values():
        group.facets.sort(key=lambda facet: (-facet.count, facet.tag.pk))
        del group.facets[FACETS_PER_TYPE:]
    return [group for group in groups.values() if group.facets]
