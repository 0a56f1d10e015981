"""Series pages: the series (`/series/ID`), a user's series, and managing them."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from polis.accounts.access import access_user
from polis.accounts.standing import AccountRestricted
from polis.core.pagination import paginate
from polis.search.service import series_entries
from polis.works import series as actions
from polis.works.access import access_work_for_edit
from polis.works.series import access_series_for_edit, access_series_for_view


class SeriesForm(forms.Form):
    title = forms.CharField(label="Series Title", max_length=actions.TITLE_MAX)
    summary = forms.CharField(
        label="Description",
        required=False,
        max_length=actions.SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    notes = forms.CharField(
        label="Notes",
        required=False,
        max_length=actions.NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    complete = forms.BooleanField(label="Complete", required=False)


class AddToSeriesForm(forms.Form):
    """Add a work to one of the writer's series, or to a new one."""

    series = forms.TypedChoiceField(label="Series", coerce=int, required=False, empty_value=None)
    new_title = forms.CharField(
        label="Or a new series called", required=False, max_length=actions.TITLE_MAX
    )

    def __init__(self, *args, choices: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["series"].choices = [("", "—"), *choices]

    def clean(self):
        data = super().clean()
        if not data.get("series") and not (data.get("new_title") or "").strip():
            raise forms.ValidationError("Choose one of your series, or name a new one.")
        return data


def _apply_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def series_show(request: HttpRequest, series_id: int) -> HttpResponse:
    series = access_series_for_view(request.user, series_id)
    entries = series_entries(viewer=request.user, series=series)
    context = {
        "series": series,
        "entries": entries,
        "word_count": sum(entry.work.word_count for entry in entries),
        "creators": actions.series_creator_pseuds(series, entries),
        "is_creator": actions.is_series_creator(request.user, series),
    }
    return render(request, "works/series/show.html", context)


def user_series(request: HttpRequest, username: str) -> HttpResponse:
    user = access_user(username)
    page = paginate(request, actions.series_of_user(request.user, user))
    return render(request, "works/series/index.html", {"profile_user": user, "page": page})


@login_required
def series_new(request: HttpRequest) -> HttpResponse:
    form = SeriesForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            series = actions.series_create(actor=request.user, **form.cleaned_data)
        except AccountRestricted as error:
            form.add_error(None, str(error))  # the form keeps what was typed
            status = 403
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "Series was successfully created.")
            return redirect(series)
    context = {"form": form, "series": None}
    return render(request, "works/series/form.html", context, status=status)


@login_required
def series_edit(request: HttpRequest, series_id: int) -> HttpResponse:
    series = access_series_for_edit(request.user, series_id)
    initial = {
        "title": series.title,
        "summary": series.summary,
        "notes": series.notes,
        "complete": series.complete,
    }
    form = SeriesForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            actions.series_update(actor=request.user, series=series, **form.cleaned_data)
        except AccountRestricted as error:
            form.add_error(None, str(error))  # the form keeps what was typed
            status = 403
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "Series was successfully updated.")
            return redirect(series)
    context = {"form": form, "series": series}
    return render(request, "works/series/form.html", context, status=status)


@login_required
def series_delete(request: HttpRequest, series_id: int) -> HttpResponse:
    series = access_series_for_edit(request.user, series_id)
    if request.method == "POST":
        actions.series_delete(actor=request.user, series=series)
        messages.success(request, "Series was successfully deleted.")
        return redirect("works:user_series", username=request.user.username)
    return render(request, "works/series/delete.html", {"series": series})


@login_required
def series_manage(request: HttpRequest, series_id: int) -> HttpResponse:
    """Reorder the works (a position box per work, as AO3's no-JavaScript form) or remove one."""
    series = access_series_for_edit(request.user, series_id)
    entries = list(series.entries.select_related("work").order_by("position", "pk"))
    errors = []
    if request.method == "POST":
        if "remove" in request.POST:
            work_id = request.POST.get("remove", "")
            entry = next((e for e in entries if str(e.work_id) == work_id), None)
            if entry is not None:
                actions.series_remove_work(actor=request.user, series=series, work=entry.work)
                messages.success(request, f"“{entry.work.title}” was removed from the series.")
            return redirect("works:series_manage", series_id=series.pk)
        wanted = []
        for entry in entries:
            try:
                wanted.append((int(request.POST.get(f"position_{entry.work_id}", "")), entry))
            except ValueError:
                errors.append(f"Give “{entry.work.title}” a position number.")
        if not errors:
            order = [
                e.work_id for _, e in sorted(wanted, key=lambda pair: (pair[0], pair[1].position))
            ]
            actions.series_reorder(actor=request.user, series=series, work_ids=order)
            messages.success(request, "The order of the series was saved.")
            return redirect(series)
    context = {"series": series, "entries": entries, "errors": errors}
    return render(request, "works/series/manage.html", context)


@login_required
def work_series(request: HttpRequest, work_id: int) -> HttpResponse:
    """Add one of the writer's works to a series (an existing one or a new one)."""
    work = access_work_for_edit(request.user, work_id)
    own = list(actions.own_series(request.user))
    form = AddToSeriesForm(request.POST or None, choices=[(s.pk, s.title) for s in own])
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data.get("series"):
                series = access_series_for_edit(request.user, data["series"])
            else:
                series = actions.series_create(actor=request.user, title=data["new_title"])
            entry, created = actions.series_add_work(actor=request.user, series=series, work=work)
        except AccountRestricted as error:
            form.add_error(None, str(error))
            status = 403
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            if created:
                messages.success(request, f"Added as part {entry.position} of “{series.title}”.")
            else:
                messages.info(request, f"This work is already part of “{series.title}”.")
            return redirect(work)
    context = {"form": form, "work": work}
    return render(request, "works/series/add_work.html", context, status=status)
