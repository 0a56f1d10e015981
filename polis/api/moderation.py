"""Moderation in the API: send a report (guests too), and for staff the queue, the
decisions (hide, unhide, spam, freeze, dismiss, retag) and the audit log — the same
actions as the pages."""

import datetime
from typing import Literal

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictInt, StrictStr

from polis.api import output
from polis.api.auth import USER_READ, anonymous_reader, token_auth, viewer
from polis.api.engagement.common import refusals
from polis.api.errors import error_body
from polis.api.ratelimit import write_throttle
from polis.api.schemas import READ_ERRORS, WRITE_ERRORS, ErrorOut, PageParams, StrictSchema
from polis.core.ratelimit import client_key
from polis.moderation import access
from polis.moderation import actions_content as content
from polis.moderation.actions import RECEIVED, ReportRateLimited, report_create, reports_dismiss
from polis.moderation.models import Reason, TargetType
from polis.moderation.selectors import audit_search, queue_groups
from polis.moderation.targets import access_target, find_target

router = Router(tags=["moderation"])

# A report may come from a guest: a token, or nobody (no session writes, so no CSRF).
REPORT_WRITE = {
    "auth": [token_auth, anonymous_reader],
    "throttle": [write_throttle],
    "openapi_extra": {"security": [{}]},
}
STAFF_WRITE = {"auth": [token_auth], "throttle": [write_throttle]}

TargetName = Literal[
    "work", "chapter", "comment", "bookmark", "series", "collection", "tag", "user"
]
ReasonName = Literal[tuple(Reason.values)]  # type: ignore[valid-type]


class ReportIn(StrictSchema):
    target_type: TargetName
    target_id: StrictInt
    reason: ReasonName
    text: StrictStr = Field("", max_length=5000)
    email: StrictStr = Field("", description="Required from guests (no token).", max_length=254)


class ReceivedOut(Schema):
    detail: str


class DecisionIn(StrictSchema):
    reason: StrictStr = Field(..., description="Why: the account is told.", max_length=2000)


class RetagIn(StrictSchema):
    reason: StrictStr = Field(..., max_length=2000)
    rating: StrictStr | None = None
    warnings: list[StrictStr] | None = None
    tags: dict[str, list[StrictStr]] | None = Field(
        None, description="fandoms, relationships, characters, freeforms, categories"
    )


class DecisionOut(Schema):
    target_type: str
    target_id: int
    hidden: bool
    frozen: bool | None = None


class ReportOut(Schema):
    reason: str
    text: str
    reporter: str | None
    email: str
    created_at: datetime.datetime


class AuditOut(Schema):
    id: int
    created_at: datetime.datetime
    actor: str
    role: str
    verb: str
    target_type: str
    target_id: str
    target_label: str
    reason: str
    details: dict


class AccountHistoryOut(Schema):
    username: str
    spam_count: int = Field(..., description="Things of this account marked as spam.")
    earlier_reports: int = Field(..., description="Reports about it or what it made, before.")
    history: list[AuditOut] = Field(
        ..., description="Staff actions on the account and on what it made, newest first."
    )


class QueueGroupOut(Schema):
    target_type: str
    target_id: int
    label: str
    url: str | None
    hidden: bool
    reports: list[ReportOut]
    earlier_reports: int
    history: list[AuditOut]
    accounts: list[AccountHistoryOut] = Field(
        ..., description="The accounts behind the target, with their history (as the page)."
    )


class AuditPageOut(Schema):
    count: int
    page: int
    per_page: int
    results: list[AuditOut]


class AuditParams(PageParams):
    actor: str = ""
    verb: str = ""
    target_type: str = ""
    target_id: str = ""
    since: datetime.date | None = None
    until: datetime.date | None = None


def _audit(entry) -> dict:
    return {
        "id": entry.pk,
        "created_at": entry.created_at,
        "actor": entry.actor_name,
        "role": entry.role,
        "verb": entry.verb,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "target_label": entry.target_label,
        "reason": entry.reason,
        "details": entry.details,
    }


@router.post("/reports", response={201: ReceivedOut, WRITE_ERRORS: ErrorOut}, **REPORT_WRITE)
def report_send(request: HttpRequest, payload: ReportIn) -> Status | HttpResponse:
    """Report anything you can see. You are told only that it was received."""
    actor = viewer(request)
    target = access_target(actor, payload.target_type, payload.target_id)
    try:
        report_create(
            actor=actor,
            target=target,
            reason=payload.reason,
            text=payload.text,
            email=payload.email,
            rate_key=client_key(request),
        )
    except ReportRateLimited as limited:
        body = error_body(f"You have sent many reports; try again in {limited.wait} seconds.")
        response = JsonResponse(body, status=429)
        response["Retry-After"] = str(limited.wait)
        return response
    return Status(201, {"detail": RECEIVED})


@router.get(
    "/moderation/queue", response={200: list[QueueGroupOut], READ_ERRORS: ErrorOut}, **USER_READ
)
def moderation_queue(request: HttpRequest) -> list[dict]:
    """Open reports you handle, grouped by target, oldest first (staff)."""
    actor = viewer(request)
    access.require_queue_staff(actor)
    return [
        {
            "target_type": g.target_type,
            "target_id": g.target_id,
            "label": g.label,
            "url": output.absolute(request, g.target.url) if g.target else None,
            "hidden": bool(g.target and g.target.hidden),
            "reports": [
                {
                    "reason": r.reason,
                    "text": r.text,
                    "reporter": r.reporter.username if r.reporter else None,
                    "email": r.email,
                    "created_at": r.created_at,
                }
                for r in g.reports
            ],
            "earlier_reports": len(g.earlier_reports),
            "history": [_audit(e) for e in g.entries],
            "accounts": [
                {
                    "username": a.user.username,
                    "spam_count": a.spam_count,
                    "earlier_reports": a.reports,
                    "history": [_audit(e) for e in a.entries],
                }
                for a in g.accounts
            ],
        }
        for g in queue_groups(actor)
    ]


def _decide(request: HttpRequest, target_type: str, target_id: int, action: str, call, **extra):
    actor = viewer(request)
    if not access.may_act_on(actor, target_type, target_id, action):
        raise Http404("No such page.")
    target = find_target(target_type, target_id)
    if target is None:
        raise Http404("No such page.")
    target = refusals(call, actor=actor, target=target, **extra)
    if not hasattr(target, "obj"):  # dismiss answers a count
        target = find_target(target_type, target_id)
    return {
        "target_type": target.type,
        "target_id": target.id,
        "hidden": target.hidden,
        "frozen": getattr(target.obj, "frozen", None) if target.type == "comment" else None,
    }


_DECISIONS = {
    "hide": (content.content_hide, {}),
    "unhide": (content.content_unhide, {}),
    "spam": (content.content_mark_spam, {}),
    "freeze": (content.thread_freeze, {"frozen": True}),
    "unfreeze": (content.thread_freeze, {"frozen": False}),
    "dismiss": (reports_dismiss, {}),
}


def _route(action: str):
    call, extra = _DECISIONS[action]

    def decide(
        request: HttpRequest, target_type: TargetName, target_id: int, payload: DecisionIn
    ) -> dict:
        return _decide(
            request, target_type, target_id, action, call, reason=payload.reason, **extra
        )

    decide.__name__ = f"moderation_{action}"
    decide.__doc__ = f"Staff: {action} the target (recorded; its account is told why)."
    router.post(
        f"/moderation/{{target_type}}/{{target_id}}/{action}",
        response={200: DecisionOut, WRITE_ERRORS: ErrorOut, 403: ErrorOut},
        operation_id=f"moderation_{action}",
        **STAFF_WRITE,
    )(decide)


for _action in _DECISIONS:
    _route(_action)


@router.post(
    "/moderation/works/{work_id}/retag",
    response={200: DecisionOut, WRITE_ERRORS: ErrorOut, 403: ErrorOut},
    **STAFF_WRITE,
)
def moderation_retag(request: HttpRequest, work_id: int, payload: RetagIn) -> dict:
    """Staff: change a work's rating, warnings or tags (recorded; its creators are told)."""
    return _decide(
        request,
        TargetType.WORK,
        work_id,
        "retag",
        content.work_retag,
        reason=payload.reason,
        rating=payload.rating,
        warnings=payload.warnings,
        tags=payload.tags,
    )


@router.get("/audit", response={200: AuditPageOut, READ_ERRORS: ErrorOut}, **USER_READ)
def audit_log(request: HttpRequest, params: Query[AuditParams]) -> dict:
    """Every staff and wrangler action, newest first (staff), narrowed as on the page."""
    access.require_audit_reader(viewer(request))
    filters = params.model_dump(exclude={"page", "per_page"})
    entries = audit_search(**{k: v for k, v in filters.items() if v})
    return output.paged(
        entries,
        page=params.page,
        per_page=params.per_page,
        render=lambda rows: [_audit(e) for e in rows],
    )
