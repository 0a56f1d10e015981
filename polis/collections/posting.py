""" "Post to Collections / Challenges", "Gift this work to" and the gift-exchange assignment
a work fulfils, on the posting form and in the API.

Registered into `polis.works.hooks` by `CollectionsConfig.ready`, so works never imports
collections (see docs/adr/0003-hooks-between-apps.md).
"""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db.models import F

from polis.accounts.models import User
from polis.collections.access import access_assignment_to_write
from polis.collections.actions.assignments import assignment_work_link, assignment_work_posted
from polis.collections.actions.gifts import gifts_set
from polis.collections.actions.items import work_collections_set
from polis.collections.models import Assignment, ItemStatus
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


def _current_assignment(work: Work) -> list[str]:
    if work.pk is None:
        return []
    # The one the work is to fulfil when posted, else the one it fulfilled.
    linked = Assignment.objects.filter(work=work).order_by(
        F("fulfilled_at").asc(nulls_first=True), "pk"
    )
    return [str(pk) for pk in linked.values_list("pk", flat=True)[:1]]


def _set_assignment(*, actor: User, work: Work, names: list[str]) -> None:
    if len(names) > 1:
        raise ValidationError("A work is posted to one assignment at a time.")
    assignment_work_link(actor=actor, work=work, assignment_id=names[0] if names else None)


def _prefill_assignment(*, user: User, params: Mapping[str, str]) -> dict[str, str]:
    """ "Fulfill" on My Assignments opens `/works/new?assignment_id=N`: the exchange's
    collection and the recipient as the gift, and N carried along. Someone else's (or no
    such) assignment is 404, whatever `N` is."""
    if "assignment_id" not in params:
        return {}
    assignment = access_assignment_to_write(user, params["assignment_id"])
    return {
        "collections": assignment.challenge.collection.name,
        "gifts": assignment.recipient.user.username,
        "assignment_id": str(assignment.pk),
    }


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
    register_posting_field(
        PostingField(
            name="assignment_id",
            label="Assignment",
            help_text="The gift-exchange assignment this work fulfils once posted.",
            current=_current_assignment,
            apply=_set_assignment,
            hidden=True,
            prefill=_prefill_assignment,
            on_post=assignment_work_posted,
        )
    )
