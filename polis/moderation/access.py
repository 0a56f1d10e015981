"""Who may use the moderation tools: the queue, its actions and the audit log.

Staff accounts (Django's `is_staff`, which the visibility rule calls staff) holding a role:
Policy & Abuse (and superadmins) see every report and take every action; Support sees the
reports about wrong tags and "other", and may retag works and dismiss those reports. The
audit log is for every staff account. Anyone else gets 404, as for a missing page.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from polis.accounts.models import User
from polis.accounts.roles import Role, has_role, has_staff_role
from polis.moderation.models import SUPPORT_REASONS, Reason, Report

Viewer = User | AnonymousUser


def _staff(user: Viewer) -> bool:
    return bool(user.is_authenticated and (user.is_staff or user.is_superuser))


def is_abuse_staff(user: Viewer) -> bool:
    """Policy & Abuse or a superadmin: hide, spam, freeze, retag, every report."""
    return has_staff_role(user, Role.POLICY_ABUSE)


def is_queue_staff(user: Viewer) -> bool:
    """Anyone with a part of the queue (Policy & Abuse, Support, superadmins)."""
    return has_staff_role(user, Role.POLICY_ABUSE, Role.SUPPORT)


def role_acting(user: Viewer) -> str:
    """The role recorded in the audit log for what this user does from the queue."""
    if user.is_superuser or has_role(user, Role.POLICY_ABUSE):
        return Role.SUPERADMIN if user.is_superuser else Role.POLICY_ABUSE
    return Role.SUPPORT


def reasons_for(user: Viewer) -> list[str]:
    """The report reasons whose reports this user handles."""
    if is_abuse_staff(user):
        return list(Reason.values)
    if is_queue_staff(user):
        return [str(r) for r in SUPPORT_REASONS]
    return []


def require_queue_staff(user: Viewer) -> None:
    if not is_queue_staff(user):
        raise Http404("No such page.")


def require_abuse_staff(user: Viewer) -> None:
    if not is_abuse_staff(user):
        raise Http404("No such page.")


def require_audit_reader(user: Viewer) -> None:
    if not _staff(user):
        raise Http404("No such page.")


def reports_for(user: Viewer) -> QuerySet[Report]:
    """The reports this staff member may see and handle."""
    return Report.objects.filter(reason__in=reasons_for(user))


def access_report(user: Viewer, report_id: int) -> Report:
    report = reports_for(user).filter(pk=report_id).first()
    if report is None:
        raise Http404("No such report.")
    return report


def may_act_on(user: Viewer, target_type: str, target_id: int, action: str) -> bool:
    """Support retags works and dismisses its reports; the rest is Policy & Abuse's."""
    if is_abuse_staff(user):
        return True
    if not is_queue_staff(user):
        return False
    if action == "dismiss":
        return reports_for(user).filter(target_type=target_type, target_id=target_id).exists()
    return action == "retag"
