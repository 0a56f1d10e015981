"""Reads about users that are more than a get: pseud lists, invitations, co-creator requests."""

from django.db.models import QuerySet

from polis.accounts.models import Invitation, Pseud, User
from polis.works.models import Creatorship


def pseuds_of(user: User) -> QuerySet[Pseud]:
    """A user's pseuds, the default first, then by name."""
    return user.pseuds.order_by("-is_default", "name")


def invitation_usable(token: str) -> bool:
    """Whether this code exists and has not been used yet."""
    return Invitation.objects.filter(
        token=token.strip(), used_by__isnull=True, used_at__isnull=True
    ).exists()


def pending_creatorships(user: User) -> QuerySet[Creatorship]:
    """Co-creator invitations addressed to any of this user's pseuds, oldest first."""
    return (
        Creatorship.objects.filter(pseud__user=user, accepted=False)
        .select_related("work", "pseud", "invited_by__user")
        .order_by("created_at", "pk")
    )
