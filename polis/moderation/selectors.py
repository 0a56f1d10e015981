"""Reads of the moderation pages: the queue grouped by target, a target's history, the
history of the accounts behind it, and the audit log's search."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Min, Q, QuerySet

from polis.accounts.models import User
from polis.core.models import AuditEntry
from polis.engagement.models import Bookmark, Comment
from polis.moderation.access import reports_for
from polis.moderation.models import Report, ReportStatus, SpamMark, TargetType
from polis.moderation.targets import Target, find_target
from polis.works.models import Creatorship, Series

HISTORY_MAX = 10


@dataclass
class AccountHistory:
    user: User
    spam_count: int
    entries: list[AuditEntry]  # staff actions on the account and on things it made
    reports: int  # earlier reports about things it made


@dataclass
class QueueGroup:
    target_type: str
    target_id: int
    label: str
    first_at: datetime.datetime
    reports: list[Report]
    target: Target | None  # None when the target is gone
    earlier_reports: list[Report] = field(default_factory=list)
    entries: list[AuditEntry] = field(default_factory=list)
    accounts: list[AccountHistory] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"target-{self.target_type}-{self.target_id}"


def _made_by(user: User) -> tuple[Q, dict[str, list[int]]]:
    """Audit entries and reports about the account or about anything it made."""
    work_ids = list(
        Creatorship.objects.filter(pseud__user=user, accepted=True).values_list(
            "work_id", flat=True
        )
    )
    pairs = {
        TargetType.USER: [user.pk],
        TargetType.WORK: work_ids,
        TargetType.COMMENT: list(Comment.objects.filter(user=user).values_list("pk", flat=True)),
        TargetType.BOOKMARK: list(Bookmark.objects.filter(user=user).values_list("pk", flat=True)),
        TargetType.SERIES: list(
            Series.objects.filter(pseuds__user=user).values_list("pk", flat=True)
        ),
    }
    found = Q(pk__in=[])
    for target_type, ids in pairs.items():
        if ids:
            found |= Q(target_type=target_type, target_id__in=[str(i) for i in ids])
    return found, pairs


def account_history(user: User, *, exclude: tuple[str, int]) -> AccountHistory:
    found, pairs = _made_by(user)
    entries = list(
        AuditEntry.objects.filter(found)
        .exclude(target_type=exclude[0], target_id=str(exclude[1]))
        .order_by("-created_at", "-pk")[:HISTORY_MAX]
    )
    reports = Q(pk__in=[])
    for target_type, ids in pairs.items():
        if ids:
            reports |= Q(target_type=target_type, target_id__in=ids)
    earlier = (
        Report.objects.filter(reports).exclude(target_type=exclude[0], target_id=exclude[1]).count()
    )
    return AccountHistory(
        user=user,
        spam_count=SpamMark.objects.filter(account=user).count(),
        entries=entries,
        reports=earlier,
    )


def queue_groups(viewer: User, *, limit: int = 50) -> list[QueueGroup]:
    """Open reports this staff member handles, one group per target, oldest first."""
    open_reports = reports_for(viewer).filter(status=ReportStatus.OPEN)
    heads = list(
        open_reports.values("target_type", "target_id")
        .annotate(first_at=Min("created_at"), n=Count("pk"))
        .order_by("first_at", "target_type", "target_id")[:limit]
    )
    groups = []
    for head in heads:
        kind, pk = head["target_type"], head["target_id"]
        reports = list(
            open_reports.filter(target_type=kind, target_id=pk)
            .select_related("reporter")
            .order_by("created_at", "pk")
        )
        target = find_target(kind, pk)
        group = QueueGroup(
            target_type=kind,
            target_id=pk,
            label=target.label if target else reports[0].target_label,
            first_at=head["first_at"],
            reports=reports,
            target=target,
        )
        group.earlier_reports = list(
            Report.objects.filter(target_type=kind, target_id=pk)
            .exclude(status=ReportStatus.OPEN)
            .order_by("-created_at", "-pk")[:HISTORY_MAX]
        )
        group.entries = list(
            AuditEntry.objects.filter(target_type=kind, target_id=str(pk)).order_by(
                "-created_at", "-pk"
            )[:HISTORY_MAX]
        )
        if target is not None:
            group.accounts = [account_history(u, exclude=(kind, pk)) for u in target.owners]
        groups.append(group)
    return groups


def audit_search(
    *,
    actor: str = "",
    verb: str = "",
    target_type: str = "",
    target_id: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet[AuditEntry]:
    """The audit log, newest first, narrowed by any of: actor name, verb (or its start,
    "work." for every work action), target type and id, and a date range (inclusive)."""
    entries = AuditEntry.objects.all()
    if actor:
        entries = entries.filter(actor_name__iexact=actor.strip())
    if verb:
        verb = verb.strip()
        entries = (
            entries.filter(verb__startswith=verb)
            if verb.endswith(".")
            else entries.filter(verb=verb)
        )
    if target_type:
        entries = entries.filter(target_type=target_type.strip())
    if target_id:
        entries = entries.filter(target_id=str(target_id).strip())
    if since:
        entries = entries.filter(created_at__date__gte=since)
    if until:
        entries = entries.filter(created_at__date__lte=until)
    return entries.order_by("-created_at", "-pk")
