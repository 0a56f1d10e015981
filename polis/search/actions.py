"""Writes of a reader's own search tools: saved searches and the tag blocklist."""

from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import Resolver404, resolve

from polis.accounts.models import User
from polis.search.models import SavedSearch, TagBlock
from polis.tags.models import Tag
from polis.tags.names import normalize_tag_name, tag_key
from polis.tags.selectors import visible_tags

MAX_SAVED_SEARCHES = 50
MAX_BLOCKED_TAGS = 200
MAX_NAME_LENGTH = SavedSearch._meta.get_field("name").max_length
MAX_QUERY_LENGTH = SavedSearch._meta.get_field("query").max_length

# The pages a saved search may point at: the listings with the filter sidebar, and search.
LISTING_VIEWS = frozenset(
    {
        "works:index",
        "search:works",
        "tags:works",
        "accounts:user_works",
        "accounts:pseud_works",
    }
)


def listing_url(value: str) -> str:
    """A listing's local path and query, without its page number; ValidationError otherwise.

    Only this site's listing pages are accepted, so a saved search can never link elsewhere.
    """
    value = (value or "").strip()
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not value.startswith("/") or value.startswith("//"):
        raise ValidationError({"query": "Only this archive's work listings can be saved."})
    try:
        view_name = resolve(unquote(parts.path)).view_name
    except Resolver404:
        view_name = ""
    if view_name not in LISTING_VIEWS:
        raise ValidationError({"query": "Only this archive's work listings can be saved."})
    params = [(key, val) for key, val in parse_qsl(parts.query, keep_blank_values=True)]
    query = urlencode([(key, val) for key, val in params if key != "page" and val != ""])
    url = parts.path + (f"?{query}" if query else "")
    if len(url) > MAX_QUERY_LENGTH:
        raise ValidationError({"query": "This search is too long to save."})
    return url


@transaction.atomic
def saved_search_create(*, actor: User, name: str, query: str) -> SavedSearch:
    """Keep a listing under a name; at most MAX_SAVED_SEARCHES per reader, names unique."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": "Give the search a name."})
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError({"name": f"Names can be at most {MAX_NAME_LENGTH} characters."})
    url = listing_url(query)
    # Lock the reader's row so that two saves at once cannot pass the limit together.
    User.objects.select_for_update().filter(pk=actor.pk).first()
    if SavedSearch.objects.filter(user=actor).count() >= MAX_SAVED_SEARCHES:
        raise ValidationError(
            f"You can keep at most {MAX_SAVED_SEARCHES} saved searches; delete one first."
        )
    if SavedSearch.objects.filter(user=actor, name=name).exists():
        raise ValidationError({"name": f"You already have a saved search named “{name}”."})
    saved = SavedSearch(user=actor, name=name, query=url)
    saved.full_clean()
    saved.save()
    return saved


@transaction.atomic
def saved_search_delete(*, actor: User, saved_search: SavedSearch) -> None:
    if saved_search.user_id != actor.pk:
        raise ValidationError("This is not your saved search.")
    saved_search.delete()


@transaction.atomic
def tag_block_add(*, actor: User, name: str) -> TagBlock:
    """Put the tag with this name (any case) on the reader's blocklist; adding twice is fine."""
    name = normalize_tag_name(name or "")
    if not name:
        raise ValidationError({"tag": "Type the name of a tag to block."})
    # A tag this reader may not see is as unknown as a name nobody used.
    tag = visible_tags(actor).filter(key=tag_key(name)).first()
    if tag is None:
        raise ValidationError({"tag": f"We couldn't find the tag “{name[:150]}”."})
    existing = TagBlock.objects.filter(user=actor, tag=tag).first()
    if existing is not None:
        return existing
    User.objects.select_for_update().filter(pk=actor.pk).first()
    if TagBlock.objects.filter(user=actor).count() >= MAX_BLOCKED_TAGS:
        raise ValidationError(
            {"tag": f"Your blocklist can hold {MAX_BLOCKED_TAGS} tags; remove one first."}
        )
    try:
        with transaction.atomic():
            return TagBlock.objects.create(user=actor, tag=tag)
    except IntegrityError:  # the same tag added at the same moment
        return TagBlock.objects.get(user=actor, tag=tag)


@transaction.atomic
def tag_block_remove(*, actor: User, tag: Tag) -> None:
    TagBlock.objects.filter(user=actor, tag=tag).delete()
