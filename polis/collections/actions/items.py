"""Writes to the works of collections: add, invite, approve, reject, remove."""

from django.core.exceptions import ValidationError
from django.db import transaction

from polis.accounts.models import User
from polis.collections.access import is_maintainer, is_member
from polis.collections.concealment import concealment_refresh
from polis.collections.errors import Refused
from polis.collections.models import Collection, CollectionItem, ItemStatus
from polis.works.access import is_creator
from polis.works.models import Work


def _collection_side(actor: User, collection: Collection) -> str:
    """A writer's item is approved at once unless the collection is moderated and the writer
    is not one of its members."""
    if not collection.moderated or is_member(actor, collection) or is_maintainer(actor, collection):
        return ItemStatus.APPROVED
    return ItemStatus.UNREVIEWED


def check_can_add(*, actor: User, collection: Collection) -> None:
    """Raise if the actor may not add works to this collection now."""
    if collection.closed and not is_maintainer(actor, collection):
        raise ValidationError(
            f"The collection “{collection.title}” is closed: no new works can be added."
        )


@transaction.atomic
def item_add(*, actor: User, collection: Collection, work: Work) -> CollectionItem:
    """A creator adds their work (posted or draft) to a collection."""
    if not is_creator(actor, work):
        raise Refused("Only the work's creators can add it to a collection.")
    check_can_add(actor=actor, collection=collection)
    item = CollectionItem.objects.filter(collection=collection, work=work).first()
    if item is not None:
        if item.creator_status == ItemStatus.APPROVED:
            raise ValidationError(f"This work is already in “{collection.title}”.")
        item.creator_status = ItemStatus.APPROVED  # accepting an owner's invitation
        item.save(update_fields=["creator_status"])
    else:
        item = CollectionItem.objects.create(
            collection=collection,
            work=work,
            creator_status=ItemStatus.APPROVED,
            collection_status=_collection_side(actor, collection),
            added_by=actor,
        )
    concealment_refresh([work.pk])
    return item


@transaction.atomic
def item_invite(*, actor: User, collection: Collection, work: Work) -> CollectionItem:
    """A maintainer invites a posted work; its creators accept or decline."""
    if not is_maintainer(actor, collection):
        raise Refused("Only the collection's owners and moderators can invite works.")
    if not work.posted:
        raise ValidationError("Only posted works can be invited.")
    item, created = CollectionItem.objects.get_or_create(
        collection=collection,
        work=work,
        defaults={
            "creator_status": ItemStatus.UNREVIEWED,
            "collection_status": ItemStatus.APPROVED,
            "added_by": actor,
        },
    )
    if not created:
        raise ValidationError(f"This work is already in “{collection.title}” or invited to it.")
    return item


@transaction.atomic
def item_review(*, actor: User, item: CollectionItem, approve: bool) -> CollectionItem:
    """The collection's side: a maintainer approves or rejects an item."""
    if not is_maintainer(actor, item.collection):
        raise Refused("Only the collection's owners and moderators can review its works.")
    item.collection_status = ItemStatus.APPROVED if approve else ItemStatus.REJECTED
    item.save(update_fields=["collection_status"])
    concealment_refresh([item.work_id])
    return item


@transaction.atomic
def item_respond(*, actor: User, item: CollectionItem, approve: bool) -> CollectionItem:
    """The creators' side: accept or decline an owner's invitation."""
    if not is_creator(actor, item.work):
        raise Refused("Only the work's creators can answer this invitation.")
    item.creator_status = ItemStatus.APPROVED if approve else ItemStatus.REJECTED
    item.save(update_fields=["creator_status"])
    concealment_refresh([item.work_id])
    return item


@transaction.atomic
def item_remove(*, actor: User, item: CollectionItem) -> None:
    """Creators and maintainers can take a work out of a collection."""
    if not (is_creator(actor, item.work) or is_maintainer(actor, item.collection)):
        raise Refused("Only the work's creators or the collection's maintainers can remove it.")
    work_id = item.work_id
    item.delete()
    concealment_refresh([work_id])


@transaction.atomic
def work_collections_set(*, actor: User, work: Work, names: list[str]) -> list[CollectionItem]:
    """The posting form's "Post to Collections": the work ends up in exactly these
    collections (as far as its creators decide); unknown or closed ones are refused."""
    if not is_creator(actor, work):
        raise Refused("Only the work's creators can choose its collections.")
    wanted = {name.strip() for name in names if name.strip()}
    found = {c.name: c for c in Collection.objects.filter(name__in=wanted)}
    missing = sorted(wanted - set(found))
    if missing:
        raise ValidationError({"collections": f"We couldn't find: {', '.join(missing)}."})
    items = []
    current = {
        item.collection.name: item for item in work.collection_items.select_related("collection")
    }
    for name, collection in sorted(found.items()):
        item = current.get(name)
        if item is not None and item.creator_status == ItemStatus.APPROVED:
            items.append(item)
            continue
        try:
            items.append(item_add(actor=actor, collection=collection, work=work))
        except ValidationError as error:
            raise ValidationError({"collections": error.messages}) from None
    for name, item in current.items():
        if name not in wanted and item.creator_status == ItemStatus.APPROVED:
            item.delete()
    concealment_refresh([work.pk])
    return items
