"""Template helpers shared by every page that shows works (`{% load polis %}`)."""

from django import template

from polis.core.wordcount import format_count
from polis.works.languages import LANGUAGE_NAMES, RTL_LANGUAGES
from polis.works.models import tags_of_type
from polis.works.visibility import byline_pseuds

register = template.Library()


@register.filter
def tags_of(work, tag_type: str):
    return tags_of_type(work, tag_type)


@register.filter
def creators(work):
    """The byline: no pseuds (shown as "Anonymous") while the work is anonymous."""
    return byline_pseuds(work)


@register.filter
def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


@register.filter
def text_direction(code: str) -> str:
    return "rtl" if code in RTL_LANGUAGES else "ltr"


@register.filter
def count(value) -> str:
    """1234 → `1,234`, independent of the server's locale."""
    return format_count(int(value or 0))
