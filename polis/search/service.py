"""Running a listing: filters in, one page of works (with their blurbs) and facet counts out."""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Page, Paginator

from polis.accounts.models import User
from polis.search.backends.sql import get_backend
from polis.search.query import WorkFilter
from polis.tags.models import Tag, TagType
from polis.works.models import Work
from polis.works.selectors import with_display_data

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


class _Counted:
    """Lets Django's Paginator page through a result it knows only the size of."""

    def __init__(self, total: int, works: list[Work], offset: int):
        self.total, self.works, self.offset = total, works, offset

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, item: slice) -> list[Work]:
        return self.works


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

    @property
    def total(self) -> int:
        return self.page.paginator.count


def viewer_filter(viewer: User, f: WorkFilter) -> WorkFilter:
    """Apply what every listing owes this viewer: restricted works only when logged in."""
    f.include_restricted = viewer.is_authenticated
    return f


def work_search(
    *,
    viewer: User,
    f: WorkFilter,
    page_number: int = 1,
    per_page: int | None = None,
    with_facets: bool = True,
) -> SearchResults:
    per_page = per_page or settings.POLIS_WORKS_PER_PAGE
    page_number = min(max(page_number, 1), MAX_PAGE)
    f = viewer_filter(viewer, f)
    backend = get_backend()
    offset = (page_number - 1) * per_page
    ids, total = backend.search(f, offset=offset, limit=per_page)
    by_id = {work.pk: work for work in with_display_data(Work.objects.filter(pk__in=ids))}
    works = [by_id[work_id] for work_id in ids if work_id in by_id]
    paginator = Paginator(_Counted(total, works, offset), per_page, allow_empty_first_page=True)
    page = Page(works, page_number, paginator)
    facets = _facets(backend.facets(f)) if with_facets and total else []
    return SearchResults(page=page, facets=facets)


def _facets(rows: list[tuple[int, str, int]]) -> list[FacetGroup]:
    tags = Tag.objects.in_bulk([tag_id for tag_id, _, _ in rows])
    groups = {
        tag_type: FacetGroup(tag_type, param, label) for tag_type, param, label in FACET_TYPES
    }
    for tag_id, tag_type, count in rows:
        if tag_type in groups and tag_id in tags:
            groups[tag_type].facets.append(Facet(tag=tags[tag_id], count=count))
    return [group for group in groups.values() if group.facets]
