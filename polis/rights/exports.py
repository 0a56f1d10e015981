"""Exports as actions: ask for one, build it (in the task worker), download it, expire it.

An export is built by a django-tasks task after the request commits, announced in the
owner's inbox, kept `POLIS_EXPORT_DAYS` days and then deleted (file and row) by
`exports_expire`, which a deferred task runs when it is due (and `polis expire_exports` from
cron, for backends that cannot defer), and which also runs before each new export.
"""

import datetime
import logging
import secrets
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from polis.accounts.models import User
from polis.engagement.models import Notification, NotificationKind
from polis.rights.export import export_write
from polis.rights.models import AccountExport, ExportStatus

log = logging.getLogger(__name__)


def export_dir() -> Path:
    path = Path(settings.POLIS_EXPORT_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def export_path(export: AccountExport) -> Path:
    return Path(settings.POLIS_EXPORT_DIR) / export.file_name


def exports_of(user: User):
    """The account's exports that still exist, newest first."""
    return AccountExport.objects.filter(user=user)


def access_export(user: User, export_id: int) -> AccountExport:
    """One of the viewer's own ready, unexpired exports; Http404 for anything else."""
    if not user.is_authenticated:
        raise Http404("No such export.")
    export = AccountExport.objects.filter(
        pk=export_id, user=user, status=ExportStatus.READY, expires_at__gt=timezone.now()
    ).first()
    if export is None or not export_path(export).exists():
        raise Http404("No such export.")
    return export


# An export reads everything the account made: one an hour is plenty.
REQUEST_INTERVAL = datetime.timedelta(hours=1)


def export_request(*, actor: User) -> AccountExport:
    """Ask for an export. One being prepared, or made in the last hour, is returned instead
    of a second (an export reads everything the account made)."""
    exports_expire()
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=actor.pk).first()  # one at a time per user
        recent = (
            exports_of(actor)
            .exclude(status=ExportStatus.FAILED)
            .filter(
                Q(status=ExportStatus.PENDING)
                | Q(created_at__gte=timezone.now() - REQUEST_INTERVAL)
            )
            .first()
        )
        if recent is not None:
            return recent
        export = AccountExport.objects.create(
            user=actor, file_name=f"{secrets.token_urlsafe(24)}.zip"
        )
        transaction.on_commit(lambda: _queue_build(export.pk))
    return export


def _queue_build(export_id: int) -> None:
    from polis.rights.tasks import export_build

    export_build.enqueue(export_id)


def export_build_now(export_id: int) -> str:
    """Write the ZIP of one requested export, then tell its owner; the export's status."""
    export = AccountExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.status != ExportStatus.PENDING:
        return "gone"
    path = export_dir() / export.file_name
    partial = path.with_suffix(".part")
    try:
        size = export_write(export.user, partial)
        partial.replace(path)
    except Exception:
        log.exception("export %s failed", export_id)
        partial.unlink(missing_ok=True)
        AccountExport.objects.filter(pk=export_id).update(status=ExportStatus.FAILED)
        return ExportStatus.FAILED
    now = timezone.now()
    expires = now + datetime.timedelta(days=settings.POLIS_EXPORT_DAYS)
    with transaction.atomic():
        AccountExport.objects.filter(pk=export_id).update(
            status=ExportStatus.READY, size=size, ready_at=now, expires_at=expires
        )
        Notification.objects.create(
            recipient=export.user,
            kind=NotificationKind.EXPORT_READY,
            event_key=f"export:{export_id}",
            text=(
                "Your data export is ready. You can download it until "
                f"{expires:%d %B %Y, %H:%M} UTC."
            ),
            link=reverse("rights:exports", kwargs={"username": export.user.username}),
        )
        transaction.on_commit(lambda: _queue_expiry(expires))
    return ExportStatus.READY


def _queue_expiry(when: datetime.datetime) -> None:
    from polis.rights.tasks import expire_exports

    backend = expire_exports.get_backend()
    if getattr(backend, "supports_defer", False):
        expire_exports.using(run_after=when + datetime.timedelta(seconds=1)).enqueue()


def exports_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete exports past their time (file and row), and failed ones; how many."""
    now = now or timezone.now()
    gone = list(
        AccountExport.objects.filter(expires_at__lte=now)
        | AccountExport.objects.filter(status=ExportStatus.FAILED)
    )
    for export in gone:
        export_path(export).unlink(missing_ok=True)
    AccountExport.objects.filter(pk__in=[e.pk for e in gone]).delete()
    return len(gone)


def exports_delete_all(*, user: User) -> None:
    """Remove every export file of an account (when the account is deleted)."""
    paths = [export_path(export) for export in exports_of(user)]
    exports_of(user).delete()

    def unlink() -> None:
        for path in paths:
            path.unlink(missing_ok=True)
            path.with_suffix(".part").unlink(missing_ok=True)

    transaction.on_commit(unlink)
