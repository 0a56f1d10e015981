"""Helpers shared by the feedback pages: refusals, form errors, the work a request names."""

from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from polis.works.access import RestrictedWork, access_work_for_view
from polis.works.models import Work


def apply_errors(form: Form, error: ValidationError) -> None:
    """Show an action's refusal on the form, on the field it names when it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def refused(
    request: HttpRequest, message: str, *, status: int = 403, text: str = "", back: str = ""
) -> HttpResponse:
    """A page that says plainly why something was not done, keeping what was typed."""
    return render(
        request,
        "engagement/refused.html",
        {"message": message, "text": text, "back": back},
        status=status,
    )


def restricted(request: HttpRequest) -> HttpResponse:
    return render(request, "works/restricted.html", {"next": request.get_full_path()}, status=200)


def readable_work(request: HttpRequest, work_id: int) -> Work:
    """The work for reading; RestrictedWork and Http404 pass up to the view."""
    return access_work_for_view(request.user, work_id)


def safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


__all__ = ["RestrictedWork", "apply_errors", "readable_work", "refused", "restricted", "safe_next"]
