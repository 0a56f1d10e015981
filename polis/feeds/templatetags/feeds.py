"""`{% tag_feed_url tag as url %}`: the tag's Atom feed, or "" when it has none."""

from django import template

from polis.feeds import feeds
from polis.tags.models import Tag

register = template.Library()


@register.simple_tag
def tag_feed_url(tag) -> str:
    return feeds.tag_feed_url(tag) if isinstance(tag, Tag) and feeds.has_feed(tag) else ""
