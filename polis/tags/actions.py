"""Writes to tags. Wrangling lives here too as it grows."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from polis.tags.models import Tag, TagType
from polis.tags.names import tag_key, validate_tag_name


def tags_find_or_create(*, names: list[str], tag_type: str) -> list[Tag]:
    """The tags for these names, creating unknown ones as unwrangled tags of `tag_type`.

    Matching is case-insensitive. A name already used by a tag of another type is refused,
    as on AO3, because every tag name is unique across types.
    """
    if not names:
        return []
    for name in names:
        validate_tag_name(name)
    keys = [tag_key(name) for name in names]
    existing = {tag.key: tag for tag in Tag.objects.filter(key__in=keys)}
    errors = [
        f"“{tag.name}” is already in the archive as a {TagType(tag.type).label} tag. "
        f"Tag names are unique; try adding more information, e.g. the fandom."
        for tag in existing.values()
        if tag.type != tag_type
    ]
    if errors:
        raise ValidationError(errors)
    tags = []
    for name, key in zip(names, keys, strict=True):
        tag = existing.get(key)
        if tag is None:
            tag = _create_or_get(name=name, key=key, tag_type=tag_type)
        tags.append(tag)
    return tags


def _create_or_get(*, name: str, key: str, tag_type: str) -> Tag:
    # Two writers may introduce the same new tag at once; the unique key decides.
    try:
        with transaction.atomic():
            tag = Tag(type=tag_type)
            tag.set_name(name)
            tag.save()
            return tag
    except IntegrityError:
        tag = Tag.objects.get(key=key)
        if tag.type != tag_type:
            raise ValidationError(
                f"“{tag.name}” is already in the archive as a {TagType(tag.type).label} tag."
            ) from None
        return tag


def fixed_tags(*, tag_type: str, names: list[str]) -> list[Tag]:
    """Ratings, warnings and categories: these exist from the first migration on."""
    tags = list(Tag.objects.filter(type=tag_type, name__in=names))
    if len(tags) != len(set(names)):
        missing = sorted(set(names) - {tag.name for tag in tags})
        raise ValidationError(f"Unknown {TagType(tag_type).label}: {', '.join(missing)}")
    order = {name: index for index, name in enumerate(names)}
    return sorted(tags, key=lambda tag: order[tag.name])
