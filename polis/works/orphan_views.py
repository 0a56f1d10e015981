"""Pages to orphan a work, a series, a pseud's works or everything (confirm, then POST)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from polis.accounts.access import access_own_user, access_pseud_for_edit
from polis.works import orphaning
from polis.works.access import access_work_for_edit
from polis.works.series import access_series_for_edit


class OrphanForm(forms.Form):
    pseud_name = forms.ChoiceField(
        label="What should the byline say?",
        choices=[
            ("keep", "Keep my pseud's name on it (credited to orphan_account)"),
            ("drop", "Remove my pseud's name (credited to orphan_account only)"),
        ],
        initial="keep",
        widget=forms.RadioSelect,
    )

    @property
    def keep(self) -> bool:
        return self.cleaned_data["pseud_name"] == "keep"


def _confirm(request: HttpRequest, *, what: str, back: str, run) -> HttpResponse:
    form = OrphanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        run(form.keep)
        messages.success(request, f"Orphaned {what}. It now belongs to orphan_account.")
        return redirect("accounts:user_works", username=request.user.username)
    return render(request, "works/orphan.html", {"form": form, "what": what, "back": back})


@login_required
def work_orphan_view(request: HttpRequest, work_id: int) -> HttpResponse:
    work = access_work_for_edit(request.user, work_id)
    return _confirm(
        request,
        what=f"“{work.title}”",
        back=work.get_absolute_url(),
        run=lambda keep: orphaning.work_orphan(actor=request.user, work=work, keep_pseud_name=keep),
    )


@login_required
def series_orphan_view(request: HttpRequest, series_id: int) -> HttpResponse:
    series = access_series_for_edit(request.user, series_id)
    return _confirm(
        request,
        what=f"the series “{series.title}” and your works in it",
        back=series.get_absolute_url(),
        run=lambda keep: orphaning.series_orphan(
            actor=request.user, series=series, keep_pseud_name=keep
        ),
    )


@login_required
def pseud_orphan_view(request: HttpRequest, username: str, pseud: str) -> HttpResponse:
    found = access_pseud_for_edit(request.user, username, pseud)
    return _confirm(
        request,
        what=f"every work and series of your pseud {found.name}",
        back=found.get_absolute_url(),
        run=lambda keep: orphaning.pseud_orphan(
            actor=request.user, pseud=found, keep_pseud_name=keep
        ),
    )


@login_required
def orphan_all_view(request: HttpRequest, username: str) -> HttpResponse:
    user = access_own_user(request.user, username)
    return _confirm(
        request,
        what="all your works and series",
        back=user.get_absolute_url(),
        run=lambda keep: orphaning.account_orphan_all(actor=user, keep_pseud_name=keep),
    )
