"""Telling an account what staff did to something of theirs, and why: an inbox notice and
an e-mail, sent when the action's transaction commits."""

import uuid
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from polis.accounts.models import User
from polis.engagement.models import Notification, NotificationKind

TEXT_MAX = 500


def moderation_notify(*, users: list[User], text: str, reason: str, link: str = "") -> int:
    """One inbox notice per active user, and its e-mail (the digest then skips it)."""
    users = [u for u in users if u is not None and u.is_active]
    event_key = f"moderation:{uuid.uuid4().hex}"
    body_text = f"{text} Reason: {reason}" if reason else text
    notes = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                kind=NotificationKind.MODERATION,
                event_key=event_key,
                text=body_text[:TEXT_MAX],
                link=link[:300],
                emailed_at=timezone.now() if user.email else None,
            )
            for user in users
        ]
    )
    site = settings.POLIS_SITE_URL.rstrip("/")
    for user in users:
        if not user.email:
            continue
        body = render_to_string(
            "moderation/email/decision.txt",
            {"user": user, "text": text, "reason": reason, "link": f"{site}{link}" if link else ""},
        )
        transaction.on_commit(
            partial(
                send_mail,
                f"[{settings.SITE_NAME}] A moderation decision about your content",
                body,
                settings.DEFAULT_FROM_EMAIL,
                [user.email],
            )
        )
    return len(notes)
