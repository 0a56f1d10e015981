"""Tag names: validation, case-insensitive keys and AO3's URL escaping (`/` → `*s*`)."""

import unicodedata

from django.core.exceptions import ValidationError

MAX_TAG_LENGTH = 150
# AO3 refuses these characters in tag names; commas separate tags in forms.
FORBIDDEN_CHARACTERS = set(",^*<>{}=`\\%，、")

# `*` never occurs in a name (it is forbidden), so the escapes cannot be ambiguous.
_URL_ESCAPES = [("/", "*s*"), ("&", "*a*"), (".", "*d*"), ("?", "*q*"), ("#", "*h*")]


def normalize_tag_name(name: str) -> str:
    """Collapse runs of whitespace and apply Unicode NFC, as a writer would expect."""
    return " ".join(unicodedata.normalize("NFC", name).split())


def tag_key(name: str) -> str:
    """The case-insensitive identity of a tag name."""
    return normalize_tag_name(name).casefold()


def validate_tag_name(name: str) -> None:
    if not name:
        raise ValidationError("Tag names cannot be blank.")
    if len(name) > MAX_TAG_LENGTH:
        raise ValidationError(
            f"Tag names can be at most {MAX_TAG_LENGTH} characters: “{name[:40]}…”."
        )
    bad = sorted(set(name) & FORBIDDEN_CHARACTERS)
    if bad:
        raise ValidationError(
            f"Tag “{name}” contains characters that cannot be used in tags: {' '.join(bad)}"
        )


def split_tag_field(value: str) -> list[str]:
    """Split a comma-separated tag field, dropping blanks and case-insensitive repeats."""
    seen: set[str] = set()
    names = []
    for part in (value or "").split(","):
        name = normalize_tag_name(part)
        if name and tag_key(name) not in seen:
            seen.add(tag_key(name))
            names.append(name)
    return names


def tag_to_url(name: str) -> str:
    for raw, escaped in _URL_ESCAPES:
        name = name.replace(raw, escaped)
    return name


def tag_from_url(value: str) -> str:
    for raw, escaped in reversed(_URL_ESCAPES):
        value = value.replace(escaped, raw)
    return value
