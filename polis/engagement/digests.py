"""The e-mail digest: each user gets one e-mail with the notifications not yet e-mailed."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from polis.accounts.models import User
from polis.engagement.models import Notification
from polis.engagement.notices import notices_prepare, shown_notices

BATCH = 200


def _site_url() -> str:
    return settings.POLIS_SITE_URL.rstrip("/")


def digest_send(user: User) -> int:
    """Send one user their digest; returns how many notifications it carried."""
    with transaction.atomic():
        # Only what the reader may see now, worded now (polis.engagement.notices); a notice
        # about a work hidden from them waits, and goes out if the work is shown again.
        notes = notices_prepare(
            shown_notices(user)
            .select_for_update(of=("self",))
            .filter(emailed_at__isnull=True, read=False)
            .select_related("work", "chapter", "series", "comment__pseud")
            .order_by("created_at", "pk")
        )
        if not notes:
            return 0
        context = {"user": user, "notifications": notes, "site_url": _site_url()}
        count = len(notes)
        subject = f"[{settings.SITE_NAME}] {count} new notification{'s' if count != 1 else ''}"
        body = render_to_string("engagement/email/digest.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        Notification.objects.filter(pk__in=[n.pk for n in notes]).update(emailed_at=timezone.now())
    return count


def digests_send() -> tuple[int, int]:
    """Send every due digest; (users e-mailed, notifications carried).

    Users who turned digests off, or have no address, have their notifications marked as
    handled so they are not sent later by surprise.
    """
    pending = Notification.objects.filter(emailed_at__isnull=True)
    silent = pending.filter(read=True) | pending.filter(recipient__notification_emails=False)
    silent = (
        silent | pending.filter(recipient__email="") | pending.filter(recipient__is_active=False)
    )
    Notification.objects.filter(pk__in=silent.values("pk")).update(emailed_at=timezone.now())
    user_ids = list(
        Notification.objects.filter(emailed_at__isnull=True)
        .values_list("recipient_id", flat=True)
        .distinct()
        .order_by("recipient_id")
    )
    users = sent = 0
    for start in range(0, len(user_ids), BATCH):
        for user in User.objects.filter(pk__in=user_ids[start : start + BATCH]):
            carried = digest_send(user)
            if carried:
                users += 1
                sent += carried
    return users, sent
