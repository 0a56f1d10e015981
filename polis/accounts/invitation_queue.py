"""The "get an invitation" queue (AO3's invite queue): join, see your place, be released.

While sign-up is by invitation (the site settings), anyone may put an address in the queue and
is shown a private link to their place in it. Staff release the oldest requests, N at a time:
by hand from the site-settings page or the API, or once a day from a scheduler with
`polis release_invitations` (which sends the day's number, `invitations_per_day`). Each released
request gets an `Invitation` for its address and an e-mail with the sign-up link.
"""

from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from polis.accounts.models import Invitation, InvitationRequest, User
from polis.accounts.roles import Role, has_staff_role
from polis.core.audit import record
from polis.core.models import SignupPolicy
from polis.core.site_settings import site_settings

MAX_RELEASE = 1000
RELEASE_ROLES = (Role.SUPPORT,)  # and superadmins, who hold every role
ALREADY_QUEUED = "This address is already in the queue."
NOT_QUEUING = "This archive is not taking invitation requests now."


def queue_position(request: InvitationRequest) -> int | None:
    """1 for the next to be released; None once it has been."""
    if request.released_at is not None:
        return None
    ahead = InvitationRequest.objects.filter(released_at__isnull=True).filter(
        Q(created_at__lt=request.created_at) | Q(created_at=request.created_at, pk__lt=request.pk)
    )
    return ahead.count() + 1


def queue_length() -> int:
    return InvitationRequest.objects.filter(released_at__isnull=True).count()


@transaction.atomic
def invitation_request_create(*, email: str) -> InvitationRequest:
    """Put an address in the queue (sign-up by invitation only); refuse one already there or
    one that already has an account."""
    if site_settings().signup != SignupPolicy.INVITATIONS:
        raise ValidationError({"email": NOT_QUEUING})
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": "Enter a valid e-mail address."}) from None
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": "An account already uses this address; log in instead."})
    if InvitationRequest.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": ALREADY_QUEUED})
    request = InvitationRequest(email=email)
    request.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:  # the other of two requests racing for one address
        raise ValidationError({"email": ALREADY_QUEUED}) from None
    return request


def _signup_url(invitation: Invitation) -> str:
    path = reverse("account_signup")
    return f"{settings.POLIS_SITE_URL.rstrip('/')}{path}?invitation={invitation.token}"


@transaction.atomic
def invitation_requests_release(*, actor: User | None, count: int | None = None) -> int:
    """Send invitations to the `count` oldest waiting requests (the day's number from the
    site settings when None): each gets a code for its address, by e-mail after commit.
    `actor` is None for the scheduler's daily run. How many were sent."""
    if actor is not None and not has_staff_role(actor, *RELEASE_ROLES):
        raise PermissionDenied("Only support staff and superadmins can release invitations.")
    if count is None:
        count = site_settings().invitations_per_day
        if count == 0:  # staff set no daily release: the scheduler's run sends nothing
            return 0
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= MAX_RELEASE:
        raise ValidationError({"count": f"Release from 1 to {MAX_RELEASE} requests at a time."})
    waiting = list(
        InvitationRequest.objects.select_for_update()
        .filter(released_at__isnull=True)
        .order_by("created_at", "pk")[:count]
    )
    now = timezone.now()
    for request in waiting:
        invitation = Invitation.objects.create(email=request.email, created_by=actor)
        request.invitation = invitation
        request.released_at = now
        request.save(update_fields=["invitation", "released_at"])
        body = (
            f"Hello,\n\nYou asked for an invitation to {settings.SITE_NAME}. Here it is: "
            f"sign up at\n\n{_signup_url(invitation)}\n\nYour invitation code is "
            f"{invitation.token}; it can be used once.\n\n— {settings.SITE_NAME}\n"
        )
        transaction.on_commit(
            partial(
                send_mail,
                f"[{settings.SITE_NAME}] Your invitation",
                body,
                settings.DEFAULT_FROM_EMAIL,
                [request.email],
            )
        )
    record(
        actor=actor,
        verb="invitation_requests.release",
        target_type="invitation_queue",
        target_label=f"{len(waiting)} request(s)",
        role="" if actor is None else Role.SUPPORT,
        details={"asked": count, "released": len(waiting)},
    )
    return len(waiting)
