"""Tag lookups that start from a URL: a tag this viewer may not see is as unknown (404)."""

from django.http import Http404

from polis.accounts.hooks import Viewer
from polis.tags.models import Tag, TagType
from polis.tags.names import tag_from_url, tag_key
from polis.tags.selectors import visible_tags


def access_tag(viewer: Viewer, url_name: str) -> Tag:
    """The tag named in a URL if this viewer may see it (visible_tags); Http404 otherwise,
    the same answer for a tag used only on hidden works as for a name nobody used."""
    tag = visible_tags(viewer).filter(key=tag_key(tag_from_url(url_name))).first()
    if tag is None:
        raise Http404("No such tag.")
    return tag


def access_media(viewer: Viewer, url_name: str) -> Tag:
    """A canonical media named in a URL (its fandom index); any other tag, or none, is 404."""
    tag = access_tag(viewer, url_name)
    if tag.type != TagType.MEDIA or not tag.canonical:
        raise Http404("No such media.")
    return tag
