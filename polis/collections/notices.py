"""Gift-exchange notices: a writer's assignment, and a default, in the inbox and by e-mail.

Assignments are sent once (or again to a new writer: a pinch hitter, a giver chosen after
sending); each writer gets one inbox notice per assignment and an e-mail naming the
recipient's requests with a link to post to the assignment. A default tells the
collection's owners and moderators. E-mails leave when the transaction commits, and the
notice is marked e-mailed so the digest does not send it again.
"""

from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from polis.accounts.models import User
from polis.collections.models import Assignment, Membership, PromptKind
from polis.collections.models.collection import MAINTAINER_ROLES
from polis.engagement.models import Notification, NotificationKind


def _site_url() -> str:
    return settings.POLIS_SITE_URL.rstrip("/")


def _notify(
    users: list[User], *, kind: str, event_key: str, text: str, link: str, subject: str, body
) -> int:
    """One inbox notice per user (once per event), and its e-mail after the commit."""
    users = [u for u in users if u.is_active]
    Notification.objects.bulk_create(
        [
            Notification(recipient=user, kind=kind, event_key=event_key, text=text[:500], link=link)
            for user in users
        ],
        ignore_conflicts=True,
    )
    mailed = [u for u in users if u.email]
    Notification.objects.filter(
        recipient__in=mailed, event_key=event_key, emailed_at__isnull=True
    ).update(emailed_at=timezone.now())
    for user in mailed:
        transaction.on_commit(
            partial(
                send_mail,
                f"[{settings.SITE_NAME}] {subject}",
                body(user),
                settings.DEFAULT_FROM_EMAIL,
                [user.email],
            )
        )
    return len(users)


def _requests(assignment: Assignment) -> list[dict]:
    prompts = assignment.recipient.prompts.filter(kind=PromptKind.REQUEST).prefetch_related("tags")
    return [
        {
            "position": p.position,
            "title": p.title,
            "tags": ", ".join(tag.name for tag in p.tags.all()),
            "any": ", ".join(f"any {t}" for t in p.any_types or []),
            "details": " ".join(strip_tags(p.description).split()),
        }
        for p in prompts.order_by("position")
    ]


def assignment_sent_notify(assignment: Assignment) -> int:
    """Tell the assignment's current writer (giver or pinch hitter) what to write."""
    writer_id = assignment.writer_id
    if writer_id is None:
        return 0
    writer = User.objects.get(pk=writer_id)
    collection = assignment.challenge.collection
    recipient = assignment.recipient.pseud.name
    path = reverse("collections:assignments", kwargs={"name": collection.name})
    link = f"{path}#assignment_{assignment.pk}"
    requests = _requests(assignment)
    pinch = assignment.pinch_hitter_id == writer_id
    text = (
        f"{'Pinch-hit assignment' if pinch else 'Your assignment'} for “{collection.title}”: "
        f"write a gift for {recipient}."
    )
    context = {
        "collection": collection,
        "recipient": recipient,
        "requests": requests,
        "pinch": pinch,
        "url": f"{_site_url()}{link}",
        "due": assignment.challenge.assignments_due_at,
    }
    return _notify(
        [writer],
        kind=NotificationKind.ASSIGNMENT,
        event_key=f"assignment:{assignment.pk}:{writer_id}",
        text=text,
        link=link,
        subject=f"Your assignment for {collection.title}",
        body=lambda user: render_to_string(
            "collections/email/assignment.txt", {**context, "user": user}
        ),
    )


def assignment_defaulted_notify(assignment: Assignment, *, writer: User | None) -> int:
    """Tell the collection's owners and moderators that an assignment needs a pinch hitter."""
    collection = assignment.challenge.collection
    ids = [collection.pk] + ([collection.parent_id] if collection.parent_id else [])
    maintainers = list(
        User.objects.filter(
            pk__in=Membership.objects.filter(
                collection_id__in=ids, role__in=MAINTAINER_ROLES
            ).values("user_id")
        ).order_by("pk")
    )
    recipient = assignment.recipient.user.username
    who = writer.username if writer else "The writer"
    link = reverse("collections:matching", kwargs={"name": collection.name})
    text = (
        f"{who} defaulted on the assignment for {recipient} in “{collection.title}”; "
        "it needs a pinch hitter."
    )
    stamp = int(assignment.defaulted_at.timestamp()) if assignment.defaulted_at else 0
    return _notify(
        maintainers,
        kind=NotificationKind.DEFAULTED,
        event_key=f"defaulted:{assignment.pk}:{stamp}",
        text=text,
        link=link,
        subject=f"An assignment in {collection.title} was defaulted",
        body=lambda user: render_to_string(
            "collections/email/defaulted.txt",
            {"user": user, "text": text, "url": f"{_site_url()}{link}#assignment_{assignment.pk}"},
        ),
    )
