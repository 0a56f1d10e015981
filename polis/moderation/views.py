"""Moderation pages: the Report form, the staff queue and its one-click decisions, the
staff retag form, and the audit log."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from polis.core.pagination import paginate
from polis.core.ratelimit import client_key
from polis.engagement.refusals import Refused
from polis.moderation import access
from polis.moderation import actions_content as content
from polis.moderation.actions import RECEIVED, ReportRateLimited, report_create, reports_dismiss
from polis.moderation.forms import AuditSearchForm, DecisionForm, ReportForm, RetagForm
from polis.moderation.models import TargetType
from polis.moderation.selectors import audit_search, queue_groups
from polis.moderation.targets import access_target, find_target
from polis.tags.models import TagType
from polis.works.models import TAG_FIELDS, tags_of_type


def report(request: HttpRequest, target_type: str, target_id: int) -> HttpResponse:
    """The Report page of anything a reader can see."""
    target = access_target(request.user, target_type, target_id)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report_create(
                actor=request.user,
                target=target,
                reason=form.cleaned_data["reason"],
                text=form.cleaned_data["text"],
                email=form.cleaned_data["email"],
                rate_key=client_key(request),
            )
        except ReportRateLimited as limited:
            response = render(
                request,
                "moderation/report.html",
                {"form": form, "target": target, "wait": limited.wait},
                status=429,
            )
            response["Retry-After"] = str(limited.wait)
            return response
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            return render(
                request, "moderation/report_received.html", {"target": target, "message": RECEIVED}
            )
    return render(request, "moderation/report.html", {"form": form, "target": target})


def queue(request: HttpRequest) -> HttpResponse:
    """Open reports grouped by target, with their history and the decisions to take."""
    access.require_queue_staff(request.user)
    return render(
        request,
        "moderation/queue.html",
        {
            "groups": queue_groups(request.user),
            "abuse": access.is_abuse_staff(request.user),
            "decision_form": DecisionForm(),
        },
    )


def _run(request: HttpRequest, call, **kwargs) -> bool:
    try:
        call(actor=request.user, **kwargs)
    except (ValidationError, Refused) as error:
        text = "; ".join(getattr(error, "messages", None) or [str(error)])
        messages.error(request, f"Nothing was done: {text}")
        return False
    return True


@require_POST
def decide(request: HttpRequest, target_type: str, target_id: int) -> HttpResponse:
    """One decision from the queue (or a target's page): hide, spam, freeze, dismiss…"""
    access.require_queue_staff(request.user)
    target = find_target(target_type, target_id)
    if target is None:
        raise Http404("No such page.")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Nothing was done: choose an action and give a reason.")
        return redirect("moderation:queue")
    action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
    if not access.may_act_on(request.user, target.type, target.id, action):
        raise Http404("No such page.")
    calls = {
        "hide": (content.content_hide, {}),
        "unhide": (content.content_unhide, {}),
        "spam": (content.content_mark_spam, {}),
        "freeze": (content.thread_freeze, {"frozen": True}),
        "unfreeze": (content.thread_freeze, {"frozen": False}),
        "dismiss": (reports_dismiss, {}),
    }
    call, extra = calls[action]
    if _run(request, call, target=target, reason=reason, **extra):
        messages.success(request, f"Done: {action} “{target.label}”.")
    return redirect("moderation:queue")


def _initial(work) -> dict:
    names = {
        field_name: ", ".join(tag.name for tag in tags_of_type(work, tag_type))
        for tag_type, field_name in TAG_FIELDS.items()
        if field_name in {"fandoms", "relationships", "characters", "freeforms"}
    }
    warnings = [tag.name for tag in tags_of_type(work, TagType.WARNING)]
    return {"rating": work.rating, "warnings": warnings, **names}


def retag(request: HttpRequest, work_id: int) -> HttpResponse:
    """Staff change a work's rating, warnings or tags (recorded; its creators are told)."""
    if not access.may_act_on(request.user, TargetType.WORK, work_id, "retag"):
        raise Http404("No such page.")
    target = find_target(TargetType.WORK, work_id)
    if target is None:
        raise Http404("No such work.")
    work = target.obj
    form = RetagForm(request.POST or None, initial=_initial(work))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            content.work_retag(
                actor=request.user,
                target=target,
                reason=data["reason"],
                rating=data["rating"],
                warnings=data["warnings"],
                tags=form.tags(),
            )
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, f"The tags of “{work.title}” were changed.")
            return redirect(reverse("moderation:queue"))
    return render(request, "moderation/retag.html", {"form": form, "work": work})


def audit_log(request: HttpRequest) -> HttpResponse:
    """Every staff and wrangler action, newest first, searchable."""
    access.require_audit_reader(request.user)
    form = AuditSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = audit_search(**{k: v for k, v in filters.items() if v})
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "moderation/audit_log.html",
        {"form": form, "page": paginate(request, entries, per_page=50), "query": query.urlencode()},
    )
