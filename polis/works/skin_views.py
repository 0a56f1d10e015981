"""Work skins on the web: a creator's skins (`/skins`), choosing one on a work, and the CSS a
work page links (`/works/ID/skin.css`)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from polis.works import skins
from polis.works.access import RestrictedWork, access_work_for_edit, access_work_for_view


class SkinForm(forms.Form):
    title = forms.CharField(label="Title", max_length=skins.TITLE_MAX)
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=skins.DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    css = forms.CharField(
        label="CSS",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "false", "class": "code"}),
        help_text="Styles for your works' text, scoped under #workskin. Allowed: common "
        "properties (colours, fonts, borders, spacing, layout), @media, images from this "
        "archive (url(/static/…) or url(/media/…)). Not allowed: @import, @font-face, "
        "expression(), other addresses, and selectors for the page (html, body, :root).",
    )


class ChooseSkinForm(forms.Form):
    skin = forms.TypedChoiceField(label="Work skin", coerce=int, required=False, empty_value=None)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skin"].choices = [("", "No skin"), *choices]


def _apply(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
def skin_index(request: HttpRequest) -> HttpResponse:
    return render(request, "works/skins/index.html", {"skins": skins.skins_of(request.user)})


@login_required
def skin_new(request: HttpRequest) -> HttpResponse:
    form = SkinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            skin = skins.skin_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, f"Skin “{skin.title}” was saved.")
            return redirect("works:skin_edit", skin_id=skin.pk)
    return render(request, "works/skins/form.html", {"form": form, "skin": None})


@login_required
def skin_edit(request: HttpRequest, skin_id: int) -> HttpResponse:
    skin = skins.access_skin_for_edit(request.user, skin_id)
    initial = {"title": skin.title, "description": skin.description, "css": skin.css}
    form = SkinForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            skins.skin_update(actor=request.user, skin=skin, **form.cleaned_data)
        except ValidationError as error:
            _apply(form, error)
            skin.refresh_from_db()
        else:
            messages.success(request, f"Skin “{skin.title}” was saved.")
            return redirect("works:skin_edit", skin_id=skin.pk)
    return render(request, "works/skins/form.html", {"form": form, "skin": skin})


@login_required
@require_POST
def skin_delete(request: HttpRequest, skin_id: int) -> HttpResponse:
    skin = skins.access_skin_for_edit(request.user, skin_id)
    skins.skin_delete(actor=request.user, skin=skin)
    messages.success(request, f"Skin “{skin.title}” was deleted.")
    return redirect("works:skins")


@login_required
def work_skin_choose(request: HttpRequest, work_id: int) -> HttpResponse:
    work = access_work_for_edit(request.user, work_id)
    own = list(skins.skins_of(request.user))
    form = ChooseSkinForm(
        request.POST or None,
        initial={"skin": work.work_skin_id},
        choices=[(s.pk, s.title) for s in own],
    )
    if request.method == "POST" and form.is_valid():
        chosen = next((s for s in own if s.pk == form.cleaned_data["skin"]), None)
        skins.work_choose_skin(actor=request.user, work=work, skin=chosen)
        messages.success(
            request, "The work's skin was saved." if chosen else "The work has no skin now."
        )
        return redirect(work)
    return render(request, "works/skins/choose.html", {"form": form, "work": work, "skins": own})


def work_skin_css(request: HttpRequest, work_id: int) -> HttpResponse:
    """The work's skin, for the readers who may read the work (others: 404, like the work)."""
    try:
        work = access_work_for_view(request.user, work_id)
    except RestrictedWork:
        raise Http404("No such skin.") from None
    css = skins.work_skin_stylesheet(work)
    if css is None:
        raise Http404("No such skin.")
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    return response
