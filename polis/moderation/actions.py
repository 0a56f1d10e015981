"""Reports: a reader sends one; staff dismiss them (acting on them is `actions_content`).

A reporter is told only that the report was received: never who else reported, nor what
staff decided about others' reports.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from polis.accounts.models import User
from polis.core import audit
from polis.core.ratelimit import hit, parse_rate
from polis.moderation.access import may_act_on, role_acting
from polis.moderation.models import Reason, Report, ReportStatus
from polis.moderation.targets import Target

TEXT_MAX = 5000
RECEIVED = "Thank you: your report was received, and the archive's staff will look at it."


class ReportRateLimited(Exception):
    """Too many reports from one reader: try again in `wait` seconds."""

    def __init__(self, wait: int) -> None:
        self.wait = wait
        super().__init__(wait)


def report_wait(key: str) -> int | None:
    """Count one report from `key` (an account or an address); None if allowed, else the
    seconds to wait."""
    rate = settings.POLIS_REPORT_RATE
    if not rate:
        return None
    limit, window = parse_rate(rate)
    return hit(f"report:{key}", limit=limit, window=window)


@transaction.atomic
def report_create(
    *,
    actor: User | AnonymousUser,
    target: Target,
    reason: str,
    text: str = "",
    email: str = "",
    rate_key: str,
) -> Report:
    """Record a report of `target` (already checked visible to `actor`). Guests give an
    e-mail address for the answer; accounts are answered in their inbox."""
    errors: dict[str, str] = {}
    if reason not in Reason.values:
        errors["reason"] = "Choose a reason from the list."
    text = text.replace("\x00", "").strip()
    if len(text) > TEXT_MAX:
        errors["text"] = f"Please keep the description under {TEXT_MAX} characters."
    if reason == Reason.OTHER and not text:
        errors["text"] = "Please say what is wrong."
    email = email.strip()
    if not actor.is_authenticated:
        if not email:
            errors["email"] = "Guests must give an e-mail address."
        else:
            try:
                validate_email(email)
            except ValidationError:
                errors["email"] = "Enter a valid e-mail address."
    if errors:
        raise ValidationError(errors)
    wait = report_wait(rate_key)
    if wait is not None:
        raise ReportRateLimited(wait)
    report = Report(
        target_type=target.type,
        target_id=target.id,
        target_label=target.label[:255],
        reporter=actor if actor.is_authenticated else None,
        email=email if not actor.is_authenticated else (email or actor.email),
        reason=reason,
        text=text,
    )
    report.full_clean()
    report.save()
    return report


def reports_close(
    *, actor: User, target_type: str, target_id: int, status: str, resolution: str
) -> int:
    """Close every open report of a target (inside the caller's transaction)."""
    return Report.objects.filter(
        target_type=target_type, target_id=target_id, status=ReportStatus.OPEN
    ).update(status=status, handled_by=actor, resolution=resolution[:255])


@transaction.atomic
def reports_dismiss(*, actor: User, target: Target, reason: str = "") -> int:
    """Staff found nothing to do: close the target's open reports, and record it."""
    if not may_act_on(actor, target.type, target.id, "dismiss"):
        raise ValidationError({"action": "You may not handle these reports."})
    closed = reports_close(
        actor=actor,
        target_type=target.type,
        target_id=target.id,
        status=ReportStatus.DISMISSED,
        resolution="dismissed",
    )
    audit.record(
        actor=actor,
        verb="report.dismiss",
        target_type=target.type,
        target_id=target.id,
        target_label=target.label,
        reason=reason,
        role=role_acting(actor),
        details={"reports": closed},
    )
    return closed
