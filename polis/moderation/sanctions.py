"""Sanctions on accounts: warn, suspend for N days (or lift it), ban (optionally deleting all
their works and comments, as AO3 does for spammers) or lift a ban.

Each is one action: it checks the actor's role, changes the account, records an audit entry
and tells the user (an inbox notice, and an e-mail once the transaction commits) what was done
and why. What a suspended or banned account may still do is decided in one place,
`polis.accounts.standing`; a suspension ends by itself at `User.suspended_until`, so nothing
has to run when it expires.
"""

import datetime
from functools import partial

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from polis.accounts.models import User
from polis.accounts.roles import Role, has_staff_role
from polis.accounts.standing import access_revoke, suspension_end_text
from polis.core.audit import record
from polis.engagement.models import Notification, NotificationKind
from polis.moderation.sanction_tasks import purge_user_content

MAX_SUSPENSION_DAYS = 3650
REASON_MAX_LENGTH = 5000
SANCTION_ROLES = (Role.POLICY_ABUSE,)  # and superadmins, who hold every role
NOTICE_MAX = 500


class SanctionRefused(PermissionDenied):
    """The actor may not sanction this account; `str(error)` says why."""


def may_sanction(actor) -> bool:
    """A staff account in Policy & Abuse (or a superadmin): the role alone is not enough."""
    return has_staff_role(actor, *SANCTION_ROLES)


def _check(actor: User, user: User, reason: str) -> str:
    if not may_sanction(actor):
        raise SanctionRefused("Only Policy & Abuse staff can warn, suspend or ban accounts.")
    if actor.pk == user.pk:
        raise SanctionRefused("You can't sanction your own account.")
    if user.is_superuser:
        raise SanctionRefused("A superuser's account can't be sanctioned here.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why: the user is told this reason."})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": f"A reason can be at most {REASON_MAX_LENGTH} characters long."}
        )
    return reason


def _tell(user: User, *, event: str, subject: str, text: str, reason: str) -> None:
    """An inbox notice (about no work: its stored text is shown) and an e-mail after commit."""
    notice = f"{text} Reason: {reason}"
    if len(notice) > NOTICE_MAX:
        notice = notice[: NOTICE_MAX - 1] + "…"
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    Notification.objects.create(
        recipient=user,
        kind=NotificationKind.MODERATION,
        event_key=f"moderation:{event}:{stamp}"[:64],
        text=notice,
        emailed_at=timezone.now() if user.email else None,
    )
    if user.email:
        body = (
            f"Hello {user.username},\n\n{text}\n\nThe reason given by the archive's staff:\n\n"
            f"{reason}\n\nIf you think this is a mistake, reply to this e-mail.\n\n"
            f"— {settings.SITE_NAME}\n"
        )
        transaction.on_commit(
            partial(
                send_mail,
                f"[{settings.SITE_NAME}] {subject}",
                body,
                settings.DEFAULT_FROM_EMAIL,
                [user.email],
            )
        )


def _audit(actor: User, verb: str, user: User, reason: str, **details) -> None:
    record(
        actor=actor,
        verb=verb,
        target_type="user",
        target_id=user.pk,
        target_label=user.username,
        reason=reason,
        role=Role.SUPERADMIN if actor.is_superuser else Role.POLICY_ABUSE,
        details=details,
    )


@transaction.atomic
def user_warn(*, actor: User, user: User, reason: str) -> User:
    """A recorded warning: nothing changes on the account, but the user is told why."""
    reason = _check(actor, user, reason)
    _audit(actor, "user.warn", user, reason)
    _tell(
        user,
        event="warn",
        subject="A warning from the archive's staff",
        text="The archive's staff have sent you a warning about your use of the archive.",
        reason=reason,
    )
    return user


@transaction.atomic
def user_suspend(*, actor: User, user: User, days: int, reason: str) -> User:
    """Suspend for `days` days from now (replacing any earlier end): until then the account
    reads and keeps its data but posts, comments, leaves kudos, bookmarks and invites nothing."""
    reason = _check(actor, user, reason)
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_SUSPENSION_DAYS:
        raise ValidationError(
            {"days": f"Suspend for a whole number of days from 1 to {MAX_SUSPENSION_DAYS}."}
        )
    user = User.objects.select_for_update().get(pk=user.pk)
    until = timezone.now() + datetime.timedelta(days=days)
    user.suspended_until = until
    user.save(update_fields=["suspended_until"])
    _audit(actor, "user.suspend", user, reason, days=days, until=until.isoformat())
    _tell(
        user,
        event="suspend",
        subject="Your account is suspended",
        text=(
            f"Your account is suspended for {days} day{'s' if days != 1 else ''}, until "
            f"{suspension_end_text(until)}; it ends by itself then. Until then you can read "
            "and manage or export your own data, but not post or edit works, comment, leave "
            "kudos, bookmark, send invitations, create collections or join challenges."
        ),
        reason=reason,
    )
    return user


@transaction.atomic
def user_unsuspend(*, actor: User, user: User, reason: str) -> User:
    """End a suspension early."""
    reason = _check(actor, user, reason)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.suspended_until is None or user.suspended_until <= timezone.now():
        raise ValidationError("This account is not suspended.")
    user.suspended_until = None
    user.save(update_fields=["suspended_until"])
    _audit(actor, "user.unsuspend", user, reason)
    _tell(
        user,
        event="unsuspend",
        subject="Your suspension has been lifted",
        text="The archive's staff have lifted your suspension: you can take part again.",
        reason=reason,
    )
    return user


def _end_sessions(user: User) -> int:
    """Delete the account's sessions. Inactive accounts are logged out at their next request
    anyway (the auth backends refuse them); this also drops the rows. Sessions are stored
    encoded, so they are read in bounded pages rather than all at once."""
    ended = 0
    last = ""
    while True:
        page = list(
            Session.objects.filter(expire_date__gt=timezone.now(), session_key__gt=last)
            .order_by("session_key")
            .values_list("session_key", "session_data")[:500]
        )
        if not page:
            return ended
        last = page[-1][0]
        mine = [
            key
            for key, data in page
            if str(Session(session_data=data).get_decoded().get("_auth_user_id")) == str(user.pk)
        ]
        if mine:
            ended += Session.objects.filter(session_key__in=mine).delete()[0]


@transaction.atomic
def user_ban(*, actor: User, user: User, reason: str, delete_content: bool = False) -> User:
    """Ban: the account can no longer log in, its sessions and API tokens end at once. With
    `delete_content`, all the works it alone created and all its comments are deleted in the
    background, in bounded batches (`polis.moderation.sanction_tasks`)."""
    reason = _check(actor, user, reason)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.banned:
        raise ValidationError("This account is already banned.")
    user.banned = True
    user.is_active = False  # Django's and allauth's backends then refuse it, sessions included
    user.save(update_fields=["banned", "is_active"])
    tokens = access_revoke(user)  # the API's tokens (polis/api/apps.py)
    sessions = _end_sessions(user)
    _audit(
        actor,
        "user.ban",
        user,
        reason,
        delete_content=delete_content,
        tokens_revoked=tokens,
        sessions_ended=sessions,
    )
    _tell(
        user,
        event="ban",
        subject="Your account is banned",
        text=(
            "Your account has been banned from the archive: you can no longer log in."
            + (" Your works and comments are being deleted." if delete_content else "")
        ),
        reason=reason,
    )
    if delete_content:
        transaction.on_commit(
            partial(purge_user_content.enqueue, user_id=user.pk, actor_id=actor.pk)
        )
    return user


@transaction.atomic
def user_unban(*, actor: User, user: User, reason: str) -> User:
    """Lift a ban: the account may log in again (with its password; the API tokens and
    sessions the ban ended stay ended, and content deleted with the ban stays deleted)."""
    reason = _check(actor, user, reason)
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.banned:
        raise ValidationError("This account is not banned.")
    user.banned = False
    user.is_active = True
    user.save(update_fields=["banned", "is_active"])
    _audit(actor, "user.unban", user, reason)
    _tell(
        user,
        event="unban",
        subject="Your ban has been lifted",
        text="The archive's staff have lifted the ban on your account: you can log in again.",
        reason=reason,
    )
    return user
