"""Reads of tags that need more than a get: relations, unwrangled bins, name lookups."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When

from polis.accounts.hooks import Viewer
from polis.accounts.models import User
from polis.search.query import WorkFilter
from polis.search.service import SearchResults, latest_works, tag_scope
from polis.tags.hooks import visible_works
from polis.tags.models import FilterTagging, MetaTagging, Tag, TagParent, TagType
from polis.tags.names import normalize_tag_name, tag_key
from polis.tags.wrangling import FIXED_TYPES, can_wrangle

AUTOCOMPLETE_LIMIT = 15
# A big fandom has thousands of characters; its page shows this many per type unless asked.
CHILDREN_SHOWN = 50
# Guards the sub-tag tree against runaway depth; cycles are refused by tag_add_meta anyway.
MAX_TREE_DEPTH = 20
# The order types are shown in when grouped (children of a fandom, of a media tag).
TYPE_ORDER = [
    TagType.MEDIA,
    TagType.FANDOM,
    TagType.CHARACTER,
    TagType.RELATIONSHIP,
    TagType.FREEFORM,
    TagType.RATING,
    TagType.WARNING,
    TagType.CATEGORY,
]
# Bins a wrangler can open: every user-defined type.
BIN_TYPES = [TagType.FANDOM, TagType.CHARACTER, TagType.RELATIONSHIP, TagType.FREEFORM]


def visible_tags(viewer: Viewer) -> QuerySet[Tag]:
    """The tags this viewer may see named: in suggestions, searches, tag pages and feeds.

    Canonical tags, synonyms and the fixed ratings, warnings and categories are the archive's
    public vocabulary (a wrangler made them so). Any other tag was only ever typed by writers,
    so it is shown only when a work this viewer may see carries it: a tag typed on a draft,
    an unrevealed work or (for guests) a restricted work does not leak its name. Wranglers
    see every tag; they wrangle the ones nobody else sees.
    """
    from polis.works.models import Tagging

    tags = Tag.objects.all()
    if can_wrangle(viewer):
        return tags
    public = Q(canonical=True) | Q(merger__isnull=False) | Q(type__in=FIXED_TYPES)
    works = visible_works(viewer)
    if works is None:
        return tags.filter(public)
    used = Exists(Tagging.objects.filter(tag=OuterRef("pk"), work__in=works.values("pk")))
    return tags.filter(public | used)


@dataclass
class TypeGroup:
    tag_type: str
    label: str
    tags: list[Tag]
    total: int = 0

    @property
    def more(self) -> int:
        """How many tags of this group are not in `tags`."""
        return max(self.total - len(self.tags), 0)


@dataclass
class SubTree:
    tag: Tag
    children: list["SubTree"] = field(default_factory=list)


@dataclass
class TagRelations:
    """Everything a tag page shows about how one tag relates to the others."""

    synonyms: list[Tag]
    parents: list[TypeGroup]
    children: list[TypeGroup]
    meta_tags: list[Tag]
    # Meta tags above the direct ones (any depth), nearest first.
    further_meta_tags: list[Tag]
    sub_tags: list[SubTree]


def _by_name(tags) -> list[Tag]:
    return sorted(tags, key=lambda tag: (tag.key, tag.pk))


def group_by_type(tags: list[Tag]) -> list[TypeGroup]:
    groups: dict[str, list[Tag]] = defaultdict(list)
    for tag in tags:
        groups[tag.type].append(tag)
    return [
        TypeGroup(
            tag_type, TagType(tag_type).label, _by_name(groups[tag_type]), len(groups[tag_type])
        )
        for tag_type in TYPE_ORDER
        if groups[tag_type]
    ]


def _children(tag: Tag, limit: int | None, shown: QuerySet[Tag]) -> list[TypeGroup]:
    """Child tags by type: one count, then the first `limit` of each type (all when None)."""
    children = shown.filter(parent_links__parent=tag)
    if limit is None:
        return group_by_type(list(children))
    counts = dict(children.order_by().values_list("type").annotate(n=Count("pk")))
    return [
        TypeGroup(
            tag_type,
            TagType(tag_type).label,
            list(children.filter(type=tag_type).order_by("key", "pk")[:limit]),
            counts[tag_type],
        )
        for tag_type in TYPE_ORDER
        if counts.get(tag_type)
    ]


def _meta_chain(tag: Tag) -> tuple[list[Tag], list[Tag]]:
    """Direct meta tags, and every meta tag above them (breadth first, no repeats)."""
    direct = _by_name(Tag.objects.filter(sub_links__sub=tag))
    further: list[Tag] = []
    seen = {tag.pk, *(meta.pk for meta in direct)}
    frontier = [meta.pk for meta in direct]
    for _ in range(MAX_TREE_DEPTH):
        if not frontier:
            break
        above = [t for t in Tag.objects.filter(sub_links__sub_id__in=frontier) if t.pk not in seen]
        above = _by_name({t.pk: t for t in above}.values())
        seen.update(t.pk for t in above)
        further.extend(above)
        frontier = [t.pk for t in above]
    return direct, further


def _sub_tree(tag: Tag) -> list[SubTree]:
    """The sub tags below this tag as a tree, one query per level."""
    nodes: dict[int, SubTree] = {}
    roots: list[SubTree] = []
    seen = {tag.pk}
    frontier = [tag.pk]
    for _ in range(MAX_TREE_DEPTH):
        if not frontier:
            break
        links = MetaTagging.objects.filter(meta_id__in=frontier).select_related("sub")
        below: list[int] = []
        for link in sorted(links, key=lambda link: (link.sub.key, link.sub.pk)):
            if link.sub_id in seen:
                continue  # a tag under two metas is shown once, under the first
            seen.add(link.sub_id)
            node = nodes[link.sub_id] = SubTree(link.sub)
            (roots if link.meta_id == tag.pk else nodes[link.meta_id].children).append(node)
            below.append(link.sub_id)
        frontier = below
    return roots


def tag_relations(tag: Tag, *, viewer: Viewer, children_limit: int | None = None) -> TagRelations:
    """How this tag relates to others, as this viewer may see them; `children_limit` caps
    the child tags shown per type. Parents, meta and sub tags are wrangled links between
    canonical tags, but a writer's tag may be a child (its fandom) long before it is
    wrangled, so children are the ones this viewer may see."""
    synonyms = list(tag.synonyms.order_by("key")) if tag.canonical else []
    parents = list(Tag.objects.filter(child_links__child=tag))
    meta_tags, further = _meta_chain(tag)
    return TagRelations(
        synonyms=synonyms,
        parents=group_by_type(parents),
        children=_children(tag, children_limit, visible_tags(viewer)),
        meta_tags=meta_tags,
        further_meta_tags=further,
        sub_tags=_sub_tree(tag),
    )


@dataclass
class TagLinks:
    """The links a wrangler edits directly: parents, meta tags and sub tags (one level)."""

    parents: list[Tag]
    meta_tags: list[Tag]
    sub_tags: list[Tag]


def tag_links(tag: Tag) -> TagLinks:
    return TagLinks(
        parents=_by_name(Tag.objects.filter(child_links__child=tag)),
        meta_tags=_by_name(Tag.objects.filter(sub_links__sub=tag)),
        sub_tags=_by_name(Tag.objects.filter(meta_links__meta=tag)),
    )


def tag_children(tag: Tag) -> list[Tag]:
    """Every child tag, grouped by type (in TYPE_ORDER), by name within a type."""
    groups = group_by_type(list(Tag.objects.filter(parent_links__parent=tag)))
    return [child for group in groups for child in group.tags]


def tag_latest_works(*, viewer: User, tag: Tag, limit: int = 5) -> SearchResults:
    """The newest works the viewer may see under this tag, as its works page lists them."""
    return latest_works(viewer=viewer, f=WorkFilter(**tag_scope(tag)), limit=limit)


def tag_named(name: str, *, viewer: Viewer | None = None) -> Tag | None:
    """The tag with this name, whatever its case; None when there is none, or when a
    `viewer` is given who may not see it (visible_tags)."""
    name = normalize_tag_name(name or "")
    if not name:
        return None
    tags = Tag.objects.all() if viewer is None else visible_tags(viewer)
    return tags.filter(key=tag_key(name)).select_related("merger").first()


def tags_named(names: list[str]) -> dict[str, Tag]:
    """Tags by key for these names (unknown names are simply absent)."""
    keys = [tag_key(name) for name in names]
    return {tag.key: tag for tag in Tag.objects.filter(key__in=keys)}


# --- unwrangled bins -----------------------------------------------------------------------


def unwrangled_tags(*, tag_type: str, fandom: Tag | None) -> QuerySet[Tag]:
    """The bin of one type, within one canonical fandom when given, busiest tags first.

    A tag is unwrangled when it is neither canonical nor a synonym. Fandom tags are instead
    binned while they have no media parent (a canonical fandom needs one to be browsable).
    A tag is in a fandom's bin when a work carrying it has that fandom in its filter set.
    """
    from polis.works.models import Tagging

    tags = Tag.objects.filter(type=tag_type, merger__isnull=True)
    if tag_type == TagType.FANDOM:
        tags = tags.exclude(
            Exists(TagParent.objects.filter(child=OuterRef("pk"), parent__type=TagType.MEDIA))
        )
    else:
        tags = tags.filter(canonical=False)
        if fandom is not None:
            fandom_works = FilterTagging.objects.filter(tag_id=fandom.pk).values("work_id")
            tags = tags.filter(
                Exists(Tagging.objects.filter(tag=OuterRef("pk"), work_id__in=fandom_works))
            )
    return tags.annotate(uses=Count("taggings")).order_by("-uses", "key", "pk")


# --- finding tags by name --------------------------------------------------------------------


def _matching(viewer: Viewer, term: str, tag_type: str | None, fandom: Tag | None) -> QuerySet[Tag]:
    tags = visible_tags(viewer).filter(key__contains=tag_key(term))
    if tag_type:
        tags = tags.filter(type=tag_type)
    if fandom is not None and tag_type != TagType.FANDOM:
        # Children of the fandom, and synonyms of its children.
        tags = tags.filter(
            Q(parent_links__parent=fandom) | Q(merger__parent_links__parent=fandom)
        ).distinct()
    return tags


def tag_autocomplete(
    *, viewer: Viewer, term: str, tag_type: str | None = None, fandom: Tag | None = None
) -> list[Tag]:
    """Up to AUTOCOMPLETE_LIMIT tags this viewer may see for a half-typed name.

    Canonical tags come first, then the rest; within each, names starting with the term
    come before names merely containing it. Each step asks only for what is still missing.
    """
    key = tag_key(term)
    if not key:
        return []
    base = _matching(viewer, term, tag_type, fandom)
    found: list[Tag] = []
    for canonical in (True, False):
        for prefix in (True, False):
            wanted = AUTOCOMPLETE_LIMIT - len(found)
            if wanted <= 0:
                return found
            step = base.filter(canonical=canonical)
            step = step.filter(key__startswith=key) if prefix else step.exclude(key__startswith=key)
            found.extend(step.order_by("key", "pk")[:wanted])
    return found


def tags_search(*, viewer: Viewer, name: str, tag_type: str | None = None) -> QuerySet[Tag]:
    """Tags this viewer may see whose name contains `name`: canonical first, then prefix
    matches, then by name."""
    key = tag_key(name)
    return (
        _matching(viewer, name, tag_type, None)
        .select_related("merger")
        .annotate(
            prefix=Case(
                When(key__startswith=key, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("-canonical", "prefix", "key", "pk")
    )
