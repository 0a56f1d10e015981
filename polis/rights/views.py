"""Pages: delete my account, export my data (ask, list, download)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from polis.accounts.access import access_own_user
from polis.rights import exports
from polis.rights.deletion import account_delete
from polis.rights.forms import AccountDeleteForm


@login_required
def account_delete_view(request: HttpRequest, username: str) -> HttpResponse:
    user = access_own_user(request.user, username)
    form = AccountDeleteForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        works, keep = form.choice()
        account_delete(actor=user, works=works, keep_pseud_name=keep)
        logout(request)
        messages.success(request, "Your account was deleted.")
        return redirect("home")
    return render(request, "rights/account_delete.html", {"form": form, "owner": user})


@login_required
def export_index(request: HttpRequest, username: str) -> HttpResponse:
    user = access_own_user(request.user, username)
    return render(
        request,
        "rights/exports.html",
        {
            "owner": user,
            "exports": list(exports.exports_of(user)),
            "days": settings.POLIS_EXPORT_DAYS,
        },
    )


@login_required
@require_POST
def export_new(request: HttpRequest, username: str) -> HttpResponse:
    user = access_own_user(request.user, username)
    exports.export_request(actor=user)
    messages.success(
        request, "Your export is being prepared. Your inbox will tell you when it is ready."
    )
    return redirect("rights:exports", username=user.username)


@login_required
def export_download(request: HttpRequest, export_id: int) -> HttpResponse:
    export = exports.access_export(request.user, export_id)
    return FileResponse(
        exports.export_path(export).open("rb"),
        as_attachment=True,
        filename=f"{request.user.username}-export-{export.pk}.zip",
        content_type="application/zip",
    )
