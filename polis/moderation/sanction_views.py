"""Staff pages for sanctions (warn, suspend, lift, ban, lift a ban) and the site settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from polis.accounts.access import access_user
from polis.accounts.invitation_queue import invitation_requests_release, queue_length
from polis.accounts.models import User
from polis.core.models import AuditEntry
from polis.core.site_settings import FIELDS, site_settings
from polis.moderation import sanctions
from polis.moderation.sanction_forms import (
    BanForm,
    ReleaseForm,
    SiteSettingsForm,
    SuspendForm,
    UnbanForm,
    UnsuspendForm,
    WarnForm,
)
from polis.moderation.site_admin import may_change_site_settings, site_settings_change

HISTORY_SHOWN = 50


def _apply_errors(form: Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _staff_user(request: HttpRequest, username: str) -> User:
    if not sanctions.may_sanction(request.user):
        raise PermissionDenied("Only Policy & Abuse staff can see this page.")
    return access_user(username)


def _page(request: HttpRequest, user: User, *, status: int = 200, **forms) -> HttpResponse:
    history = AuditEntry.objects.filter(target_type="user", target_id=str(user.pk))[:HISTORY_SHOWN]
    suspended = user.suspended_until is not None and user.suspended_until > timezone.now()
    context = {
        "subject": user,
        "suspended": suspended,
        "history": history,
        "warn_form": forms.get("warn") or WarnForm(prefix="warn"),
        "suspend_form": forms.get("suspend") or SuspendForm(prefix="suspend"),
        "unsuspend_form": forms.get("unsuspend") or UnsuspendForm(prefix="unsuspend"),
        "ban_form": forms.get("ban") or BanForm(prefix="ban"),
        "unban_form": forms.get("unban") or UnbanForm(prefix="unban"),
    }
    return render(request, "moderation/sanction_user.html", context, status=status)


@login_required
def user_sanctions(request: HttpRequest, username: str) -> HttpResponse:
    """An account's standing and sanction history, with a form for each sanction."""
    return _page(request, _staff_user(request, username))


def _sanction(request: HttpRequest, username: str, key: str, form_class, run, done: str):
    user = _staff_user(request, username)
    form = form_class(request.POST, prefix=key)
    if form.is_valid():
        try:
            run(actor=request.user, user=user, **form.cleaned_data)
        except sanctions.SanctionRefused as error:
            form.add_error(None, str(error))
            return _page(request, user, status=403, **{key: form})
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, done.format(name=user.username))
            return redirect("sanctions:user", username=user.username)
    return _page(request, user, status=400, **{key: form})


@login_required
@require_POST
def user_warn(request: HttpRequest, username: str) -> HttpResponse:
    return _sanction(request, username, "warn", WarnForm, sanctions.user_warn, "{name} was warned.")


@login_required
@require_POST
def user_suspend(request: HttpRequest, username: str) -> HttpResponse:
    return _sanction(
        request, username, "suspend", SuspendForm, sanctions.user_suspend, "{name} is suspended."
    )


@login_required
@require_POST
def user_unsuspend(request: HttpRequest, username: str) -> HttpResponse:
    return _sanction(
        request,
        username,
        "unsuspend",
        UnsuspendForm,
        sanctions.user_unsuspend,
        "{name}'s suspension was lifted.",
    )


@login_required
@require_POST
def user_ban(request: HttpRequest, username: str) -> HttpResponse:
    return _sanction(request, username, "ban", BanForm, sanctions.user_ban, "{name} is banned.")


@login_required
@require_POST
def user_unban(request: HttpRequest, username: str) -> HttpResponse:
    return _sanction(
        request,
        username,
        "unban",
        UnbanForm,
        sanctions.user_unban,
        "{name}'s ban was lifted.",
    )


def _settings_initial() -> dict:
    current = site_settings()
    return {name: getattr(current, name) for name in FIELDS}


def _settings_page(request, form, release_form, status=200) -> HttpResponse:
    context = {"form": form, "release_form": release_form, "queue_length": queue_length()}
    return render(request, "moderation/sanction_site_settings.html", context, status=status)


@login_required
def site_settings_edit(request: HttpRequest) -> HttpResponse:
    """Sign-up, guest comments, downloads, wrangling, the banner, the invitation queue."""
    if not may_change_site_settings(request.user):
        raise PermissionDenied("Only support staff and superadmins can change site settings.")
    release_form = ReleaseForm(initial={"count": site_settings().invitations_per_day or 1})
    if request.method != "POST":
        return _settings_page(request, SiteSettingsForm(initial=_settings_initial()), release_form)
    form = SiteSettingsForm(request.POST, initial=_settings_initial())
    if form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason", "")
        try:
            site_settings_change(actor=request.user, reason=reason, **data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "Site settings were saved.")
            return redirect("sanctions:site_settings")
    return _settings_page(request, form, release_form, status=400)


@login_required
@require_POST
def invitation_release(request: HttpRequest) -> HttpResponse:
    """Send invitations to the oldest waiting requests now."""
    if not may_change_site_settings(request.user):
        raise PermissionDenied("Only support staff and superadmins can release invitations.")
    form = ReleaseForm(request.POST)
    if form.is_valid():
        try:
            sent = invitation_requests_release(actor=request.user, count=form.cleaned_data["count"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"{sent} invitation(s) sent.")
            return redirect("sanctions:site_settings")
    settings_form = SiteSettingsForm(initial=_settings_initial())
    return _settings_page(request, settings_form, form, status=400)
