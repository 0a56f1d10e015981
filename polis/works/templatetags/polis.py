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


@register.simple_tag(takes_context=True)
def blurb(context, work):
    """A listing row: the blurb the search kept rendered (`polis.search.fragments.Blurb`),
    or, for a full work, `includes/blurb.html` rendered here as an include would."""
    html = getattr(work, "blurb_html", None)
    if html is not None:
        return html
    template = context.template.engine.get_template("includes/blurb.html")
    with context.push(work=work):
        return template.render(context)


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
