"""Tag lookups that start from a URL: every tag page is public, but unknown names are 404."""

from django.http import Http404

from polis.tags.models import Tag
from polis.tags.names import tag_from_url, tag_key


def access_tag(url_name: str) -> Tag:
    tag = Tag.objects.filter(key=tag_key(tag_from_url(url_name))).first()
    if tag is None:
        raise Http404("No such tag.")
    return tag
