"""Writes to gifts: give a work to a user or a name, refuse a gift, take it back."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction

from polis.accounts.models import Block, Pseud, User
from polis.collections.errors import Refused
from polis.collections.models import Gift
from polis.works.access import is_creator
from polis.works.models import Creatorship, Work

NAME_MAX = 100
# Worded as engagement's refusals for blocked users (polis.engagement.relations).
BLOCKED_GIFT = "Sorry, you can't give a gift to that user."
_PSEUD_WITH_USER = re.compile(r"^(?P<pseud>.+?)\s*\((?P<user>[^()]+)\)$")


def _recipient(name: str) -> tuple[User | None, str]:
    """An archive user by username (case-insensitive), else the name as typed."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"recipient": "Say who the gift is for."})
    if len(name) > NAME_MAX:
        raise ValidationError(
            {"recipient": f"A recipient's name can be at most {NAME_MAX} characters."}
        )
    user = User.objects.filter(username__iexact=name, is_active=True).first()
    if user is None:
        user = _pseud_owner(name)
    return user, ("" if user else name)


def _pseud_owner(name: str) -> User | None:
    """ "pseud (username)", or a pseud name only one active user has."""
    match = _PSEUD_WITH_USER.match(name)
    if match:
        pseuds = Pseud.objects.filter(
            name__iexact=match["pseud"].strip(), user__username__iexact=match["user"].strip()
        )
    else:
        pseuds = Pseud.objects.filter(name__iexact=name)
    owners = list(
        pseuds.filter(user__is_active=True).values_list("user_id", flat=True).distinct()[:2]
    )
    return User.objects.get(pk=owners[0]) if len(owners) == 1 else None


def _blocked_by(user: User, work: Work) -> bool:
    """Whether `user` blocked one of the work's creators: then it is no gift of theirs."""
    creators = Creatorship.objects.filter(work=work, accepted=True).values("pseud__user_id")
    return Block.objects.filter(user=user, blocked_id__in=creators).exists()


@transaction.atomic
def gift_add(*, actor: User, work: Work, recipient: str) -> Gift:
    """Give `work` to a user (by username) or to a name that is not an account; never to a
    user who blocked one of its creators."""
    if not is_creator(actor, work):
        raise Refused("Only the work's creators can give it as a gift.")
    user, name = _recipient(recipient)
    if user is not None and is_creator(user, work):
        raise ValidationError({"recipient": "You can't give a work to one of its creators."})
    if user is not None and _blocked_by(user, work):
        raise ValidationError({"recipient": BLOCKED_GIFT})
    existing = work.gifts.filter(recipient=user) if user else work.gifts.filter(recipient_name=name)
    if existing.exists():
        raise ValidationError({"recipient": f"This work is already a gift for {recipient}."})
    return Gift.objects.create(work=work, recipient=user, recipient_name=name)


@transaction.atomic
def gifts_set(*, actor: User, work: Work, recipients: list[str]) -> list[Gift]:
    """The posting form's "Gift this work to": exactly these recipients afterwards.

    A gift its recipient refused stays refused (giving it again does not undo that).
    """
    if not is_creator(actor, work):
        raise Refused("Only the work's creators can give it as a gift.")
    wanted = []
    for raw in recipients:
        if raw.strip():
            wanted.append(_recipient(raw))
    keep = set()
    gifts = []
    for user, name in wanted:
        gift = (
            work.gifts.filter(recipient=user) if user else work.gifts.filter(recipient_name=name)
        ).first()
        if gift is None:
            gift = gift_add(actor=actor, work=work, recipient=user.username if user else name)
        keep.add(gift.pk)
        gifts.append(gift)
    work.gifts.exclude(pk__in=keep).filter(refused=False).delete()
    return gifts


@transaction.atomic
def gift_refuse(*, actor: User, gift: Gift) -> Gift:
    """The recipient declines: the work no longer shows as a gift to them."""
    if gift.recipient_id != actor.pk:
        raise Refused("Only the recipient can refuse a gift.")
    gift.refused = True
    gift.save(update_fields=["refused"])
    return gift


@transaction.atomic
def gift_remove(*, actor: User, gift: Gift) -> None:
    if not is_creator(actor, gift.work):
        raise Refused("Only the work's creators can take back a gift.")
    if gift.refused:
        raise ValidationError("The recipient refused this gift; it is kept so it stays refused.")
    gift.delete()
