"""Who may see or change a saved search: only its owner; anyone else gets 404."""

from django.http import Http404

from polis.accounts.models import User
from polis.search.models import SavedSearch, TagBlock
from polis.tags.models import Tag


def access_saved_search_for_edit(user: User, saved_search_id: int) -> SavedSearch:
    saved = None
    if user.is_authenticated:
        saved = SavedSearch.objects.filter(pk=saved_search_id, user_id=user.pk).first()
    if saved is None:
        raise Http404("No such saved search.")
    return saved


def access_tag_block(user: User, tag: Tag) -> TagBlock:
    """This user's block of this tag; Http404 when the tag is not on their blocklist."""
    block = None
    if user.is_authenticated:
        block = TagBlock.objects.filter(user_id=user.pk, tag=tag).first()
    if block is None:
        raise Http404("That tag is not on your blocklist.")
    return block
