"""Wrangling actions: every change to what a tag means, with the filter sets kept exact.

Each action validates, writes in one transaction, and then brings the affected works' filter
sets and search entries up to date: at once when few works are touched, otherwise in a
background task queued with the change (polis.core.queueing; listings show the change once it
has run, and a worker that dies running it hands it on).
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from polis.accounts.models import User
from polis.accounts.roles import Role
from polis.core import audit
from polis.core.queueing import enqueue_with_change
from polis.core.site_settings import site_settings
from polis.search.indexing import index_works
from polis.tags import filters
from polis.tags.filters import filter_sets_recompute, works_affected_by
from polis.tags.models import PARENT_TYPES, MetaTagging, Tag, TagParent, TagType
from polis.tags.names import normalize_tag_name, tag_key, validate_tag_name

FIXED_TYPES = frozenset({TagType.RATING, TagType.WARNING, TagType.CATEGORY})
WRANGLING_OFF = "Tag wrangling is turned off on this archive for now; try again later."


def can_wrangle(user: User) -> bool:
    return user.is_authenticated and (user.is_tag_wrangler or user.is_superuser)


def wrangling_paused_for(user: User) -> bool:
    """Staff turned wrangling off (the site settings); superusers may still wrangle."""
    return not site_settings().tag_wrangling and not user.is_superuser


def _require_wrangler(actor: User) -> None:
    if not can_wrangle(actor):
        raise ValidationError("Only tag wranglers can change tags.")
    if wrangling_paused_for(actor):
        raise ValidationError(WRANGLING_OFF)


def _not_fixed(tag: Tag) -> None:
    if tag.type in FIXED_TYPES:
        raise ValidationError(f"“{tag.name}” is a fixed {tag.get_type_display()} tag.")


def _record(actor: User, verb: str, tag: Tag, **details) -> None:
    """One audit entry per wrangling change (the log every staff member can search)."""
    audit.record(
        actor=actor,
        verb=verb,
        target_type="tag",
        target_id=tag.pk,
        target_label=tag.name,
        role=Role.TAG_WRANGLING,
        details=details,
    )


def refresh_works_for(tag_ids: list[int]) -> int:
    """Recompute filter sets and index entries of the works these tags touch; return count."""
    work_ids = works_affected_by(tag_ids)
    filter_sets_recompute(work_ids)
    index_works(work_ids)
    return len(work_ids)


def _follow_up(tag_ids: list[int]) -> None:
    """Recompute now when cheap; otherwise queue the task after this transaction commits."""
    tag_ids = sorted(set(tag_ids))
    # Read at call time so deployments (and tests) can change the threshold.
    if len(works_affected_by(tag_ids)) <= filters.SYNC_LIMIT:
        refresh_works_for(tag_ids)
        return
    from polis.tags.tasks import refresh_filter_sets

    enqueue_with_change(refresh_filter_sets, tag_ids)


@transaction.atomic
def tag_set_canonical(*, actor: User, tag: Tag, canonical: bool) -> Tag:
    _require_wrangler(actor)
    _not_fixed(tag)
    if canonical == tag.canonical:
        return tag
    if canonical and tag.merger_id:
        raise ValidationError(
            f"“{tag.name}” is a synonym of “{tag.merger.name}”; remove the synonym first."
        )
    if not canonical and tag.synonyms.exists():
        raise ValidationError(f"“{tag.name}” has synonyms; it must stay canonical.")
    if not canonical and (tag.meta_links.exists() or tag.sub_links.exists()):
        raise ValidationError(f"“{tag.name}” has meta or sub tags; remove them first.")
    tag.canonical = canonical
    tag.save(update_fields=["canonical"])
    _record(actor, "tag.canonical" if canonical else "tag.uncanonical", tag)
    _follow_up([tag.pk])
    return tag


@transaction.atomic
def tag_make_synonym(*, actor: User, tag: Tag, of: Tag) -> Tag:
    """Make `tag` mean `of` (a canonical tag of the same type)."""
    _require_wrangler(actor)
    _not_fixed(tag)
    if of.pk == tag.pk:
        raise ValidationError("A tag cannot be a synonym of itself.")
    if not of.canonical:
        reason = f"a synonym of “{of.merger.name}”" if of.merger_id else "not canonical"
        raise ValidationError(f"“{of.name}” is {reason}; a synonym must point at a canonical tag.")
    if of.type != tag.type:
        raise ValidationError(
            f"“{of.name}” is a {of.get_type_display()} tag and “{tag.name}” a "
            f"{tag.get_type_display()} tag; synonyms must have the same type."
        )
    if tag.synonyms.exists():
        raise ValidationError(
            f"“{tag.name}” has synonyms of its own; move them to “{of.name}” first."
        )
    if tag.meta_links.exists() or tag.sub_links.exists():
        raise ValidationError(f"“{tag.name}” has meta or sub tags; remove them first.")
    previous = tag.merger_id
    tag.canonical = False
    tag.merger = of
    tag.save(update_fields=["canonical", "merger"])
    _record(actor, "tag.synonym", tag, of=of.name)
    _follow_up([tag.pk, of.pk, *([previous] if previous else [])])
    return tag


@transaction.atomic
def tag_remove_synonym(*, actor: User, tag: Tag) -> Tag:
    _require_wrangler(actor)
    if not tag.merger_id:
        return tag
    previous = tag.merger_id
    tag.merger = None
    tag.save(update_fields=["merger"])
    _record(actor, "tag.unsynonym", tag, was=previous)
    _follow_up([tag.pk, previous])
    return tag


def _meta_descendants(tag: Tag) -> set[int]:
    found: set[int] = set()
    frontier = {tag.pk}
    while frontier:
        below = set(
            MetaTagging.objects.filter(meta_id__in=frontier).values_list("sub_id", flat=True)
        )
        frontier = below - found
        found |= below
    return found


@transaction.atomic
def tag_add_meta(*, actor: User, sub: Tag, meta: Tag) -> MetaTagging:
    """Make `meta` a meta tag of `sub`; refused when it would make a cycle."""
    _require_wrangler(actor)
    if not (sub.canonical and meta.canonical):
        raise ValidationError("Meta and sub tags must both be canonical.")
    if sub.type != meta.type:
        raise ValidationError("Meta and sub tags must have the same type.")
    if meta.pk == sub.pk or meta.pk in _meta_descendants(sub):
        raise ValidationError(
            f"“{meta.name}” is already below “{sub.name}”; making it a meta tag would make a cycle."
        )
    try:
        with transaction.atomic():
            link = MetaTagging.objects.create(meta=meta, sub=sub)
    except IntegrityError:
        return MetaTagging.objects.get(meta=meta, sub=sub)
    _record(actor, "tag.add_meta", sub, meta=meta.name)
    _follow_up([sub.pk])
    return link


@transaction.atomic
def tag_remove_meta(*, actor: User, sub: Tag, meta: Tag) -> None:
    _require_wrangler(actor)
    deleted, _ = MetaTagging.objects.filter(meta=meta, sub=sub).delete()
    if deleted:
        _record(actor, "tag.remove_meta", sub, meta=meta.name)
        _follow_up([sub.pk, meta.pk])


@transaction.atomic
def tag_add_parent(*, actor: User, child: Tag, parent: Tag) -> TagParent:
    """A parent link (media → fandom; fandom → character, relationship, additional tag)."""
    _require_wrangler(actor)
    allowed = PARENT_TYPES.get(child.type, frozenset())
    if parent.type not in allowed:
        raise ValidationError(
            f"A {parent.get_type_display()} tag cannot be a parent of a "
            f"{child.get_type_display()} tag."
        )
    if not parent.canonical:
        raise ValidationError(f"“{parent.name}” is not canonical; parents must be canonical.")
    link, created = TagParent.objects.get_or_create(parent=parent, child=child)
    if created:
        _record(actor, "tag.add_parent", child, parent=parent.name)
    return link


@transaction.atomic
def tag_remove_parent(*, actor: User, child: Tag, parent: Tag) -> None:
    _require_wrangler(actor)
    deleted, _ = TagParent.objects.filter(parent=parent, child=child).delete()
    if deleted:
        _record(actor, "tag.remove_parent", child, parent=parent.name)


@transaction.atomic
def tag_rename(*, actor: User, tag: Tag, name: str) -> Tag:
    """Rename a tag (e.g. fix its capitalisation); the works' search text follows."""
    _require_wrangler(actor)
    _not_fixed(tag)
    name = normalize_tag_name(name)
    validate_tag_name(name)
    if Tag.objects.filter(key=tag_key(name)).exclude(pk=tag.pk).exists():
        raise ValidationError(f"A tag named “{name}” already exists.")
    old_name = tag.name
    tag.set_name(name)
    tag.save(update_fields=["name", "key"])
    _record(actor, "tag.rename", tag, was=old_name)
    work_ids = works_affected_by([tag.pk])
    if len(work_ids) <= filters.SYNC_LIMIT:
        index_works(work_ids)
    else:
        from polis.tags.tasks import refresh_filter_sets

        enqueue_with_change(refresh_filter_sets, [tag.pk])
    return tag


@transaction.atomic
def tag_set_type(*, actor: User, tag: Tag, tag_type: str) -> Tag:
    """Re-sort an unwrangled tag into another user-defined type (e.g. Additional → Character)."""
    _require_wrangler(actor)
    _not_fixed(tag)
    if tag_type in FIXED_TYPES or tag_type not in TagType.values:
        raise ValidationError(f"“{tag_type}” is not a type a tag can be moved to.")
    if tag.canonical or tag.merger_id:
        raise ValidationError("Only unwrangled tags can change type.")
    was = tag.type
    tag.type = tag_type
    tag.save(update_fields=["type"])
    _record(actor, "tag.set_type", tag, was=was, now=tag_type)
    return tag


@dataclass
class BulkRefusal:
    tag: Tag
    messages: list[str]


def tags_bulk_wrangle(
    *, actor: User, tags: list[Tag], action: str, target: Tag | None
) -> list[BulkRefusal]:
    """Run one action on every tag, in one transaction; any refusal undoes them all.

    Returns the refusals (empty when everything was done). Every tag is tried, so the
    wrangler learns about all the problems at once.
    """
    refusals: list[BulkRefusal] = []
    with transaction.atomic():
        for tag in sorted(tags, key=lambda tag: (tag.key, tag.pk)):
            try:
                if action == "canonical":
                    tag_set_canonical(actor=actor, tag=tag, canonical=True)
                elif action == "synonym":
                    tag_make_synonym(actor=actor, tag=tag, of=target)
                elif action == "parent":
                    tag_add_parent(actor=actor, child=tag, parent=target)
                else:
                    raise ValidationError(f"Unknown action “{action}”.")
            except ValidationError as error:
                refusals.append(BulkRefusal(tag, error.messages))
        if refusals:
            transaction.set_rollback(True)
    return refusals
