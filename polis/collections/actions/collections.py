"""Writes to collections themselves: create, settings, people, reveal."""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from polis.accounts.models import User
from polis.accounts.standing import require_participation
from polis.collections.access import is_maintainer, is_owner
from polis.collections.actions.challenges import ChallengeInput, challenge_setup
from polis.collections.concealment import concealment_refresh
from polis.collections.errors import Refused
from polis.collections.models import Collection, CollectionItem, Membership, Role
from polis.core.text import to_html

NAME_PATTERN = re.compile(r"^[A-Za-z0-9_]{1,80}$")


@dataclass(kw_only=True)
class CollectionInput:
    """What an owner gives for a collection, named like the form's fields."""

    name: str
    title: str
    description: str = ""
    rules: str = ""
    faq: str = ""
    closed: bool = False
    moderated: bool = False
    anonymous: bool = False
    unrevealed: bool = False
    reveal_at: object = None  # datetime | None
    parent_name: str = ""


def _html(value: str, field: str) -> str:
    return to_html(value, "html", allow_class=False, field=field) if value.strip() else ""


def _apply(collection: Collection, data: CollectionInput, actor: User) -> None:
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = "Give the collection a title."
    parent = None
    if data.parent_name:
        parent = Collection.objects.filter(name=data.parent_name).first()
        if parent is None:
            errors["parent_name"] = f"There is no collection called “{data.parent_name}”."
        elif parent.parent_id:
            errors["parent_name"] = "A sub-collection cannot have sub-collections of its own."
        elif parent.pk == collection.pk:
            errors["parent_name"] = "A collection cannot be its own parent."
        elif not is_maintainer(actor, parent):
            errors["parent_name"] = "Only the parent collection's maintainers can add to it."
        elif collection.pk and collection.children.exists():
            errors["parent_name"] = "This collection has sub-collections, so it cannot be one."
    if errors:
        raise ValidationError(errors)
    collection.title = data.title.strip()
    collection.parent = parent
    collection.description = _html(data.description, "description")
    collection.rules = _html(data.rules, "rules")
    collection.faq = _html(data.faq, "faq")
    collection.closed = data.closed
    collection.moderated = data.moderated
    collection.anonymous = data.anonymous
    collection.unrevealed = data.unrevealed
    collection.reveal_at = data.reveal_at


def _affected_work_ids(collection: Collection) -> list[int]:
    return list(
        CollectionItem.objects.filter(collection__in=[collection, *collection.children.all()])
        .values_list("work_id", flat=True)
        .distinct()
    )


@transaction.atomic
def collection_create(
    *, actor: User, data: CollectionInput, challenge: ChallengeInput | None = None
) -> Collection:
    """Create a collection; the actor becomes its owner. With `challenge`, the challenge is
    set up too, in the same transaction: a refusal there leaves no collection behind."""
    require_participation(actor)  # suspended and banned accounts join in nothing
    if not NAME_PATTERN.match(data.name or ""):
        raise ValidationError(
            {"name": "Use 1–80 letters, digits and underscores (it becomes the URL)."}
        )
    if Collection.objects.filter(name__iexact=data.name).exists():
        raise ValidationError({"name": f"The name “{data.name}” is already taken."})
    collection = Collection(name=data.name)
    _apply(collection, data, actor)
    try:
        with transaction.atomic():
            collection.save()
    except IntegrityError:
        raise ValidationError({"name": f"The name “{data.name}” is already taken."}) from None
    Membership.objects.create(collection=collection, user=actor, role=Role.OWNER)
    if challenge is not None:
        challenge_setup(actor=actor, collection=collection, data=challenge)
    return collection


@transaction.atomic
def collection_update(*, actor: User, collection: Collection, data: CollectionInput) -> Collection:
    """Change settings; anonymity and reveal changes apply to every work at once."""
    if not is_maintainer(actor, collection):
        raise Refused("Only the collection's owners and moderators can change it.")
    _apply(collection, data, actor)
    collection.save()
    concealment_refresh(_affected_work_ids(collection))
    return collection


@transaction.atomic
def collection_reveal(
    *, actor: User | None, collection: Collection, works: bool = True, creators: bool = True
) -> Collection:
    """Reveal works (unrevealed → shown) and/or creators (anonymous → named).

    `actor=None` is the scheduled reveal. Newly shown works are announced to subscribers as
    if just posted (each reader hears of a work once, whatever path it took).
    """
    if actor is not None and not is_maintainer(actor, collection):
        raise Refused("Only the collection's owners and moderators can reveal it.")
    fields = []
    if works and collection.unrevealed:
        collection.unrevealed = False
        fields.append("unrevealed")
    if creators and collection.anonymous:
        collection.anonymous = False
        fields.append("anonymous")
    if not collection.unrevealed and not collection.anonymous:
        collection.reveal_at = None
        fields.append("reveal_at")
    collection.save(update_fields=[*fields, "updated_at"])
    # Newly revealed works are announced by `work_conceal` (subscribers hear of them then).
    concealment_refresh(_affected_work_ids(collection))
    return collection


def reveal_due(*, now=None) -> list[str]:
    """Reveal every collection whose reveal time has passed; the names revealed."""
    now = now or timezone.now()
    revealed = []
    for collection in Collection.objects.filter(reveal_at__lte=now):
        collection_reveal(actor=None, collection=collection)
        revealed.append(collection.name)
    return revealed


@transaction.atomic
def membership_set(*, actor: User, collection: Collection, user: User, role: str) -> Membership:
    """Make `user` an owner, moderator or member. Only owners change who maintains."""
    if role not in Role.values:
        raise ValidationError({"role": "Choose owner, moderator or member."})
    current = Membership.objects.filter(collection=collection, user=user).first()
    touches_maintainers = role != Role.MEMBER or (
        current is not None and current.role != Role.MEMBER
    )
    if touches_maintainers and not is_owner(actor, collection):
        raise Refused("Only owners can add or change owners and moderators.")
    if not is_maintainer(actor, collection):
        raise Refused("Only the collection's owners and moderators can add members.")
    if current and current.role == Role.OWNER and role != Role.OWNER:
        _keep_an_owner(collection, leaving=user)
    membership, _ = Membership.objects.update_or_create(
        collection=collection, user=user, defaults={"role": role}
    )
    if touches_maintainers:
        concealment_refresh(_affected_work_ids(collection))  # who may see unrevealed works
    return membership


def _keep_an_owner(collection: Collection, *, leaving: User) -> None:
    others = Membership.objects.filter(collection=collection, role=Role.OWNER).exclude(user=leaving)
    if not others.exists():
        raise ValidationError("A collection needs at least one owner.")


@transaction.atomic
def membership_remove(*, actor: User, collection: Collection, user: User) -> None:
    membership = Membership.objects.filter(collection=collection, user=user).first()
    if membership is None:
        return
    if membership.role == Role.OWNER:
        if not is_owner(actor, collection):
            raise Refused("Only owners can remove owners.")
        _keep_an_owner(collection, leaving=user)
    elif actor.pk != user.pk and not is_maintainer(actor, collection):
        raise Refused("Only the collection's owners and moderators can remove people.")
    membership.delete()
    if membership.role != Role.MEMBER:
        concealment_refresh(_affected_work_ids(collection))  # who may see unrevealed works


@transaction.atomic
def collection_join(*, actor: User, collection: Collection) -> Membership:
    """Open collections let anyone join as a member (their works then need no approval)."""
    require_participation(actor)  # suspended and banned accounts join in nothing
    if collection.closed:
        raise Refused("This collection is closed; ask its owners to add you.")
    membership, _ = Membership.objects.get_or_create(
        collection=collection, user=actor, defaults={"role": Role.MEMBER}
    )
    return membership


__all__ = [
    "CollectionInput",
    "collection_create",
    "collection_join",
    "collection_reveal",
    "collection_update",
    "membership_remove",
    "membership_set",
    "reveal_due",
]


@transaction.atomic
def collection_set_hidden(*, actor: User, collection: Collection, hidden: bool) -> Collection:
    """Staff hide (or show) a collection: its maintainers and staff still see it. Its works
    keep their own visibility (each can be hidden on its own)."""
    if not (actor.is_staff or actor.is_superuser):
        raise ValidationError({"hidden": "Only the archive's staff can hide collections."})
    if collection.hidden != hidden:
        collection.hidden = hidden
        collection.save(update_fields=["hidden", "updated_at"])
    return collection
