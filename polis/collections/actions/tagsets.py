"""Writes to tag sets: settings, tags, fandom associations, nominations and their review."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from polis.accounts.models import User
from polis.collections.access import owns_tag_set
from polis.collections.errors import Refused
from polis.collections.models import Nomination, NominationStatus, TagAssociation, TagSet
from polis.collections.models.tagset import TAG_SET_TYPES
from polis.core.text import to_html
from polis.tags.actions import tags_find_or_create
from polis.tags.models import Tag, TagType
from polis.tags.names import tag_key


@dataclass(kw_only=True)
class TagSetInput:
    title: str
    description: str = ""
    nominations_open: bool = False
    fandom_nomination_limit: int = 0
    character_nomination_limit: int = 0
    relationship_nomination_limit: int = 0
    freeform_nomination_limit: int = 0


def _apply(tag_set: TagSet, data: TagSetInput) -> None:
    if not data.title.strip():
        raise ValidationError({"title": "Give the tag set a title."})
    tag_set.title = data.title.strip()
    tag_set.description = to_html(data.description, "html", allow_class=False, field="description")
    tag_set.nominations_open = data.nominations_open
    for tag_type in TAG_SET_TYPES:
        setattr(
            tag_set, f"{tag_type}_nomination_limit", getattr(data, f"{tag_type}_nomination_limit")
        )


def _check_owner(actor: User, tag_set: TagSet) -> None:
    if not owns_tag_set(actor, tag_set):
        raise Refused("Only the tag set's moderators can change it.")


@transaction.atomic
def tag_set_create(*, actor: User, data: TagSetInput) -> TagSet:
    tag_set = TagSet()
    _apply(tag_set, data)
    tag_set.save()
    tag_set.owners.add(actor)
    return tag_set


@transaction.atomic
def tag_set_update(*, actor: User, tag_set: TagSet, data: TagSetInput) -> TagSet:
    _check_owner(actor, tag_set)
    _apply(tag_set, data)
    tag_set.save()
    return tag_set


@transaction.atomic
def tag_set_owner_add(*, actor: User, tag_set: TagSet, user: User) -> None:
    _check_owner(actor, tag_set)
    tag_set.owners.add(user)


def _check_type(tag_type: str) -> None:
    if tag_type not in TAG_SET_TYPES:
        raise ValidationError({"tag_type": "Choose fandom, character, relationship or freeform."})


@transaction.atomic
def tag_set_add_tags(*, actor: User, tag_set: TagSet, tag_type: str, names: list[str]) -> list[Tag]:
    """Add tags by name; names new to the archive become unwrangled tags, as on AO3."""
    _check_owner(actor, tag_set)
    _check_type(tag_type)
    try:
        tags = tags_find_or_create(names=names, tag_type=tag_type)
    except ValidationError as error:
        raise ValidationError({"names": error.messages}) from None
    tag_set.tags.add(*tags)
    return tags


@transaction.atomic
def tag_set_remove_tags(*, actor: User, tag_set: TagSet, tag_ids: list[int]) -> None:
    _check_owner(actor, tag_set)
    tag_set.tags.remove(*Tag.objects.filter(pk__in=tag_ids))
    TagAssociation.objects.filter(tag_set=tag_set, tag_id__in=tag_ids).delete()


@transaction.atomic
def tag_set_associate(
    *, actor: User, tag_set: TagSet, tag_name: str, fandom_name: str
) -> TagAssociation:
    """Say that a character or relationship of the set belongs to one of its fandoms."""
    _check_owner(actor, tag_set)
    in_set = {
        t.key: t for t in tag_set.tags.filter(key__in=[tag_key(tag_name), tag_key(fandom_name)])
    }
    tag, fandom = in_set.get(tag_key(tag_name)), in_set.get(tag_key(fandom_name))
    errors = {}
    if tag is None or tag.type not in (TagType.CHARACTER, TagType.RELATIONSHIP):
        errors["tag_name"] = f"“{tag_name}” is not a character or relationship of this tag set."
    if fandom is None or fandom.type != TagType.FANDOM:
        errors["fandom_name"] = f"“{fandom_name}” is not a fandom of this tag set."
    if errors:
        raise ValidationError(errors)
    association, _ = TagAssociation.objects.get_or_create(tag_set=tag_set, tag=tag, fandom=fandom)
    return association


@transaction.atomic
def nomination_create(
    *, actor: User, tag_set: TagSet, tag_type: str, name: str, fandom_name: str = ""
) -> Nomination:
    """Nominate a tag while nominations are open, within the per-type limit."""
    _check_type(tag_type)
    if not tag_set.nominations_open:
        raise ValidationError("Nominations for this tag set are closed.")
    limit = tag_set.nomination_limit(tag_type)
    used = Nomination.objects.filter(tag_set=tag_set, nominator=actor, tag_type=tag_type).count()
    if used >= limit:
        label = TagType(tag_type).label.lower()
        raise ValidationError(
            {"name": f"You can nominate at most {limit} {label} tag(s) for this set."}
        )
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "Type the tag you nominate."})
    if Nomination.objects.filter(
        tag_set=tag_set, nominator=actor, tag_type=tag_type, name__iexact=name
    ).exists():
        raise ValidationError({"name": f"You already nominated “{name}”."})
    return Nomination.objects.create(
        tag_set=tag_set,
        nominator=actor,
        tag_type=tag_type,
        name=name,
        fandom_name=" ".join(fandom_name.split()) if tag_type != TagType.FANDOM else "",
    )


@transaction.atomic
def nomination_review(*, actor: User, nomination: Nomination, approve: bool) -> Nomination:
    """Approving adds the tag (and its fandom link, when the fandom is in the set)."""
    tag_set = nomination.tag_set
    _check_owner(actor, tag_set)
    if not approve:
        nomination.status = NominationStatus.REJECTED
        nomination.save(update_fields=["status"])
        return nomination
    (tag,) = tag_set_add_tags(
        actor=actor, tag_set=tag_set, tag_type=nomination.tag_type, names=[nomination.name]
    )
    if nomination.fandom_name:
        fandom = tag_set.tags.filter(
            key=tag_key(nomination.fandom_name), type=TagType.FANDOM
        ).first()
        if fandom is not None:
            TagAssociation.objects.get_or_create(tag_set=tag_set, tag=tag, fandom=fandom)
    # Everyone who nominated the same tag is answered at once.
    Nomination.objects.filter(
        tag_set=tag_set, tag_type=nomination.tag_type, name__iexact=nomination.name
    ).update(status=NominationStatus.APPROVED)
    nomination.status = NominationStatus.APPROVED
    return nomination
