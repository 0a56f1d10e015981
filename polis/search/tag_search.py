"""Tag search, as AO3's /tags/search: by name (part of it, or its start with a trailing `*`),
type, canonical or not, and fandom; each tag with the number of works this viewer may see.

Only tags the viewer may see named are found (`polis.tags.selectors.visible_tags`). A tag
is "in" a fandom when the fandom is its parent (or its canonical tag's), or when a work
this viewer may see listed carries both (fandoms, characters, relationships and freeform
tags only: not the fixed ratings and warnings, nor the fandom itself). Work counts are
counted over works this viewer may see listed, for one page of tags at a time: a canonical
tag counts the works whose filter set holds it (synonyms and sub-tags included), any other
tag its own works.
"""

from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from polis.accounts.hooks import Viewer
from polis.tags.models import USER_DEFINED_TYPES, FilterTagging, Tag, TagType
from polis.tags.names import normalize_tag_name, tag_key
from polis.tags.selectors import tag_named, visible_tags
from polis.works.models import Tagging
from polis.works.visibility import listed_works, visible_q

NAME_MAX = 150


@dataclass
class TagQuery:
    name: str = ""
    type: str = ""  # a TagType value, or "" for any
    canonical: bool | None = None
    fandoms: list[str] = field(default_factory=list)

    @property
    def asked(self) -> bool:
        return bool(self.name.strip() or self.type or self.canonical is not None or self.fandoms)


@dataclass
class TagResults:
    tags: QuerySet[Tag]
    notices: list[str]


def _listed(viewer: Viewer):
    return listed_works().filter(visible_q(viewer))


def tag_search(*, viewer: Viewer, query: TagQuery) -> TagResults:
    """Tags matching `query`: canonical first, then names starting with the name asked,
    then by name."""
    notices: list[str] = []
    tags = visible_tags(viewer)
    raw = normalize_tag_name(query.name)[:NAME_MAX]
    prefix_only = raw.endswith("*")
    key = tag_key(raw.rstrip("*").strip())
    if key:
        tags = tags.filter(key__startswith=key) if prefix_only else tags.filter(key__contains=key)
    if query.type:
        tags = tags.filter(type=query.type)
    if query.canonical is not None:
        tags = tags.filter(canonical=query.canonical)
    if query.fandoms:
        inside = Q(pk__in=[])
        for name in query.fandoms:
            fandom = tag_named(name[:NAME_MAX], viewer=viewer)
            if fandom is None or fandom.type != TagType.FANDOM:
                notices.append(f"No fandom is named “{normalize_tag_name(name[:NAME_MAX])}”.")
                continue
            fandom = fandom.merger or fandom
            works = _listed(viewer).filter(
                Q(filter_taggings__tag_id=fandom.pk) | Q(taggings__tag_id=fandom.pk)
            )
            used = Tagging.objects.filter(work__in=works.values("pk")).values("tag_id")
            inside |= (
                Q(parent_links__parent=fandom)
                | Q(merger__parent_links__parent=fandom)
                | (Q(pk__in=used, type__in=USER_DEFINED_TYPES) & ~Q(pk=fandom.pk))
            )
        tags = tags.filter(pk__in=Tag.objects.filter(inside).values("pk"))
    ordered = (
        tags.select_related("merger")
        .annotate(
            prefix=Case(
                When(key__startswith=key, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("-canonical", "prefix", "key", "pk")
    )
    return TagResults(ordered, notices)


def tag_work_counts(viewer: Viewer, tags: list[Tag]) -> dict[int, int]:
    """How many works this viewer may see listed each tag finds (two queries per page)."""
    works = _listed(viewer).values("pk")
    canonical = [tag.pk for tag in tags if tag.canonical]
    others = [tag.pk for tag in tags if not tag.canonical]
    counts = {tag.pk: 0 for tag in tags}
    if canonical:
        rows = (
            FilterTagging.objects.filter(tag_id__in=canonical, work__in=works)
            .values("tag_id")
            .annotate(n=Count("work_id"))
            .order_by()
        )
        counts.update({row["tag_id"]: row["n"] for row in rows})
    if others:
        rows = (
            Tagging.objects.filter(tag_id__in=others, work__in=works)
            .values("tag_id")
            .annotate(n=Count("work_id", distinct=True))
            .order_by()
        )
        counts.update({row["tag_id"]: row["n"] for row in rows})
    return counts


def parse_canonical(value: str) -> bool | None:
    """AO3's `T`/`F` (and true/false, yes/no, 1/0); anything else is "either"."""
    text = (value or "").strip().lower()
    if text in {"t", "true", "yes", "1"}:
        return True
    if text in {"f", "false", "no", "0"}:
        return False
    return None
