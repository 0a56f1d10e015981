"""Subscriptions to a user, a work or a series: actions and the subscriber's own list."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from polis.accounts.models import User
from polis.engagement.models import Subscription, SubscriptionType
from polis.works.models import Series, Work

Target = User | Work | Series


def _fields(target: Target) -> dict:
    if isinstance(target, User):
        return {"type": SubscriptionType.USER, "target_user": target}
    if isinstance(target, Work):
        return {"type": SubscriptionType.WORK, "work": target}
    return {"type": SubscriptionType.SERIES, "series": target}


@transaction.atomic
def subscription_create(*, actor: User, target: Target) -> tuple[Subscription, bool]:
    """Subscribe to a user, work or series (already checked visible); once only."""
    if isinstance(target, User) and target.pk == actor.pk:
        raise ValidationError("You can't subscribe to yourself.")
    if isinstance(target, Work) and not target.posted:
        raise ValidationError("You can only subscribe to posted works.")
    fields = _fields(target)
    try:
        with transaction.atomic():
            return Subscription.objects.get_or_create(user=actor, **fields)
    except IntegrityError:  # a double submission
        return Subscription.objects.get(user=actor, **fields), False


@transaction.atomic
def subscription_delete(*, actor: User, subscription: Subscription) -> None:
    subscription.delete()


def subscription_to(user: User, target: Target) -> Subscription | None:
    if not user.is_authenticated:
        return None
    return Subscription.objects.filter(user=user, **_fields(target)).first()


def subscriptions_of(user: User) -> QuerySet[Subscription]:
    return Subscription.objects.filter(user=user).select_related("target_user", "work", "series")


def subscriber_count(work: Work) -> int:
    return Subscription.objects.filter(work=work).count()
