""" "Post to Collections / Challenges" and "Gift this work to" on the posting form and the API.

Registered into `polis.works.hooks` by `CollectionsConfig.ready`, so works never imports
collections (see docs/adr/0003-hooks-between-apps.md).
"""

from polis.accounts.models import User
from polis.collections.actions.gifts import gifts_set
from polis.collections.actions.items import work_collections_set
from polis.collections.models import ItemStatus
from polis.works.hooks import PostingField, register_posting_field
from polis.works.models import Work


def _current_collections(work: Work) -> list[str]:
    """Collections the creators put the work in (awaiting the moderators' approval too)."""
    if work.pk is None:
        return []
    return list(
        work.collection_items.filter(creator_status=ItemStatus.APPROVED)
        .order_by("collection__name")
        .values_list("collection__name", flat=True)
    )


def _set_collections(*, actor: User, work: Work, names: list[str]) -> None:
    work_collections_set(actor=actor, work=work, names=names)


def _current_gifts(work: Work) -> list[str]:
    if work.pk is None:
        return []
    return [
        gift.recipient.username if gift.recipient_id else gift.recipient_name
        for gift in work.gifts.filter(refused=False).select_related("recipient").order_by("pk")
    ]


def _set_gifts(*, actor: User, work: Work, names: list[str]) -> None:
    gifts_set(actor=actor, work=work, recipients=names)


def register() -> None:
    register_posting_field(
        PostingField(
            name="collections",
            label="Post to Collections / Challenges",
            help_text="Collection names (as in /collections/NAME), separated by commas.",
            current=_current_collections,
            apply=_set_collections,
        )
    )
    register_posting_field(
        PostingField(
            name="gifts",
            label="Gift this work to",
            help_text="Usernames, “pseud (username)”, or any name, separated by commas.",
            current=_current_gifts,
            apply=_set_gifts,
        )
    )
