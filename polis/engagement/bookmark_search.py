"""Bookmark search, as AO3's /bookmarks/search: who bookmarked, rec, notes, the bookmarker's
tags and the bookmarked work's filter-set tags, with a sidebar of tag counts.

Every search starts from `visible_bookmarks` (private bookmarks only for their owner, muted
users left out) narrowed to bookmarks of works this viewer may see *listed* (`listed_works` ∩
`visible_q`: never a draft, a hidden or unrevealed work, nor a restricted one for a guest),
without works carrying a tag of the viewer's blocklist, or of works elsewhere. The sidebar's
counts are taken over exactly those results, so nothing a viewer may not see is ever counted.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.db.models.functions import Lower

from polis.accounts.models import Pseud
from polis.engagement.bookmarks import Viewer, visible_bookmarks, with_bookmark_display
from polis.engagement.models import Bookmark, BookmarkTag
from polis.search.selectors import blocklist_for_filter
from polis.tags.models import FilterTagging, Tag, TagType
from polis.tags.names import normalize_tag_name, split_tag_field
from polis.tags.selectors import tag_named
from polis.works.models import Creatorship, Tagging
from polis.works.visibility import listed_works, named_q, visible_q

# How many tags of each type (and of the bookmarkers' own) the sidebar shows, as AO3 does.
SIDEBAR_PER_TYPE = 10
SIDEBAR_TYPES = [
    TagType.RATING,
    TagType.WARNING,
    TagType.CATEGORY,
    TagType.FANDOM,
    TagType.CHARACTER,
    TagType.RELATIONSHIP,
    TagType.FREEFORM,
]
TEXT_MAX = 200


@dataclass
class BookmarkQuery:
    """What a bookmark search asks; the page and the API fill it from their parameters."""

    bookmarker: str = ""  # a pseud's or a user's name, any case
    rec: bool = False
    with_notes: bool = False
    bookmark_notes: str = ""  # words of the notes, all of them
    bookmarkable_query: str = ""  # words of the bookmarked work's title or named creators
    other_tag_names: list[str] = field(default_factory=list)  # work tags, all of them
    excluded_tag_names: list[str] = field(default_factory=list)
    tag_ids: list[int] = field(default_factory=list)  # the sidebar's work tags
    excluded_tag_ids: list[int] = field(default_factory=list)
    bookmark_tag_names: list[str] = field(default_factory=list)  # bookmarker's tags, all
    excluded_bookmark_tag_names: list[str] = field(default_factory=list)

    @property
    def asked(self) -> bool:
        """Whether anything narrows the search (an empty form lists every bookmark)."""
        return any(value for value in vars(self).values())


@dataclass
class TagCount:
    name: str
    count: int
    tag_id: int | None = None  # None for a bookmarker's own tag
    tag_type: str = ""


@dataclass
class BookmarkResults:
    bookmarks: QuerySet[Bookmark]
    notices: list[str]


def names_of(value: str) -> list[str]:
    """A comma-separated tag field as its names."""
    return [name for name in split_tag_field(value[: TEXT_MAX * 5]) if name][:20]


def _words(text: str) -> list[str]:
    return text[:TEXT_MAX].split()[:10]


def _as_html(word: str) -> str:
    # Notes are stored as sanitized HTML: `&` is `&amp;` there.
    return word.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _work_tag_q(tag: Tag) -> Q:
    """Bookmarks whose work carries this tag in its filter set (a canonical tag, or a synonym's
    canonical tag), or, for a tag nobody wrangled yet, among the work's own tags."""
    if tag.canonical or tag.merger_id:
        target = tag.merger_id or tag.pk
        return Q(Exists(FilterTagging.objects.filter(work=OuterRef("work_id"), tag_id=target)))
    return Q(Exists(Tagging.objects.filter(work=OuterRef("work_id"), tag_id=tag.pk)))


def _bookmark_tag_q(name: str) -> Q:
    key = normalize_tag_name(name).lower()
    return Q(Exists(BookmarkTag.objects.filter(bookmark=OuterRef("pk"), name__iexact=key)))


def searchable_bookmarks(viewer: Viewer) -> QuerySet[Bookmark]:
    """Bookmarks a search may find for this viewer: see the module's first lines. Works
    carrying a tag of the viewer's blocklist are left out, as from every listing."""
    works = listed_works().filter(visible_q(viewer)).values("pk")
    shown = Q(work__in=works) | Q(work__isnull=True, external__isnull=False)
    bookmarks = visible_bookmarks(viewer, include_deleted=False).filter(shown)
    blocklist = blocklist_for_filter(viewer)
    if blocklist.filter_tags:
        bookmarks = bookmarks.exclude(
            Exists(
                FilterTagging.objects.filter(
                    work=OuterRef("work_id"), tag_id__in=blocklist.filter_tags
                )
            )
        )
    if blocklist.direct_tags:
        bookmarks = bookmarks.exclude(
            Exists(
                Tagging.objects.filter(work=OuterRef("work_id"), tag_id__in=blocklist.direct_tags)
            )
        )
    return bookmarks


def bookmark_search(*, viewer: Viewer, query: BookmarkQuery) -> BookmarkResults:
    """The bookmarks matching `query`, newest first, with a notice per name not understood
    (a work tag nobody uses matches nothing, as on AO3; the notice says why)."""
    bookmarks = searchable_bookmarks(viewer)
    notices: list[str] = []
    nothing = False
    if query.bookmarker.strip():
        name = query.bookmarker.strip()[:TEXT_MAX]
        pseuds = Pseud.objects.filter(Q(name__iexact=name) | Q(user__username__iexact=name))
        bookmarks = bookmarks.filter(
            Q(pseud__in=pseuds.values("pk")) | Q(pseud__isnull=True, user__username__iexact=name)
        )
    if query.rec:
        bookmarks = bookmarks.filter(rec=True)
    if query.with_notes:
        bookmarks = bookmarks.exclude(notes="")
    for word in _words(query.bookmark_notes):
        bookmarks = bookmarks.filter(notes__icontains=_as_html(word))
    for word in _words(query.bookmarkable_query):
        creators = Creatorship.objects.filter(
            work=OuterRef("work_id"), accepted=True, pseud__name__icontains=word
        )
        bookmarks = bookmarks.filter(
            Q(work__title__icontains=word)
            | (named_q("work__") & Q(Exists(creators)))
            | Q(external__title__icontains=word)
            | Q(external__creator__icontains=word)
        )
    for name in query.other_tag_names:
        tag = tag_named(name, viewer=viewer)
        if tag is None:
            notices.append(f"No tag is named “{normalize_tag_name(name)}”.")
            nothing = True
            continue
        bookmarks = bookmarks.filter(_work_tag_q(tag))
    for name in query.excluded_tag_names:
        tag = tag_named(name, viewer=viewer)
        if tag is not None:
            bookmarks = bookmarks.exclude(_work_tag_q(tag))
    for tag_id in query.tag_ids:
        bookmarks = bookmarks.filter(
            Exists(FilterTagging.objects.filter(work=OuterRef("work_id"), tag_id=tag_id))
        )
    if query.excluded_tag_ids:
        bookmarks = bookmarks.exclude(
            Exists(
                FilterTagging.objects.filter(
                    work=OuterRef("work_id"), tag_id__in=query.excluded_tag_ids
                )
            )
        )
    for name in query.bookmark_tag_names:
        bookmarks = bookmarks.filter(_bookmark_tag_q(name))
    for name in query.excluded_bookmark_tag_names:
        bookmarks = bookmarks.exclude(_bookmark_tag_q(name))
    if nothing:
        bookmarks = bookmarks.none()
    return BookmarkResults(with_bookmark_display(bookmarks).order_by("-created_at", "-pk"), notices)


def bookmark_facets(bookmarks: QuerySet[Bookmark]) -> dict[str, list[TagCount]]:
    """The sidebar: per tag type, the work tags most found among these bookmarks (counted
    per bookmark), and the bookmarkers' own tags (`"bookmark"`)."""
    ids = bookmarks.order_by().values("pk")
    rows = (
        FilterTagging.objects.filter(work__bookmarks__in=ids)
        .values("tag_id")
        .annotate(n=Count("work__bookmarks"))
        .order_by()
    )
    counts = {row["tag_id"]: row["n"] for row in rows}
    tags = Tag.objects.filter(pk__in=counts).only("pk", "name", "type")
    facets: dict[str, list[TagCount]] = {tag_type.value: [] for tag_type in SIDEBAR_TYPES}
    for tag in tags:
        if tag.type in facets:
            facets[tag.type].append(TagCount(tag.name, counts[tag.pk], tag.pk, tag.type))
    for tag_type, items in facets.items():
        items.sort(key=lambda item: (-item.count, item.name.lower()))
        facets[tag_type] = items[:SIDEBAR_PER_TYPE]
    own = list(
        BookmarkTag.objects.filter(bookmark__in=ids)
        .annotate(key=Lower("name"))
        .values("key")
        .annotate(n=Count("bookmark_id"), first=Min("pk"))
        .order_by("-n", "key")[:SIDEBAR_PER_TYPE]
    )
    # Shown as it was first typed: the same whichever database sorts the spellings.
    spelled = dict(
        BookmarkTag.objects.filter(pk__in=[row["first"] for row in own]).values_list("pk", "name")
    )
    facets["bookmark"] = [TagCount(spelled[row["first"]], row["n"]) for row in own]
    return facets
