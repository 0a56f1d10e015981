"""Tag set pages: list, create, show (with nominations), add tags, link to fandoms, review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from polis.collections import access
from polis.collections.actions import tagsets as actions
from polis.collections.forms import AssociationForm, NominationForm, TagSetForm, TagSetTagsForm
from polis.collections.models import Nomination, NominationStatus, TagAssociation, TagSet
from polis.collections.models.tagset import TAG_SET_TYPES
from polis.collections.views.common import apply_errors
from polis.core.pagination import paginate
from polis.tags.models import TagType


def tag_set_index(request: HttpRequest) -> HttpResponse:
    return render(
        request, "collections/tag_sets.html", {"page": paginate(request, TagSet.objects.all())}
    )


@login_required
def tag_set_new(request: HttpRequest) -> HttpResponse:
    form = TagSetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            tag_set = actions.tag_set_create(
                actor=request.user, data=actions.TagSetInput(**form.cleaned_data)
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect(tag_set)
    return render(request, "collections/form.html", {"form": form, "heading": "New Tag Set"})


def tag_set_show(request: HttpRequest, tag_set_id: int) -> HttpResponse:
    tag_set = access.access_tag_set(request.user, tag_set_id)
    owner = access.owns_tag_set(request.user, tag_set)
    tags = list(tag_set.tags.order_by("name"))
    groups = [(TagType(t).label, [tag for tag in tags if tag.type == t]) for t in TAG_SET_TYPES]
    associations = TagAssociation.objects.filter(tag_set=tag_set).select_related("tag", "fandom")
    nomination_form = (
        NominationForm(request.POST or None) if request.user.is_authenticated else None
    )
    if request.method == "POST" and nomination_form is not None and nomination_form.is_valid():
        try:
            actions.nomination_create(
                actor=request.user, tag_set=tag_set, **nomination_form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(nomination_form, error)
        else:
            messages.success(request, "Your nomination was sent to the tag set's moderators.")
            return redirect(tag_set)
    return render(
        request,
        "collections/tag_set.html",
        {
            "tag_set": tag_set,
            "owner": owner,
            "groups": groups,
            "associations": associations,
            "nomination_form": nomination_form if tag_set.nominations_open else None,
            "pending": Nomination.objects.filter(tag_set=tag_set, status=NominationStatus.PENDING)
            if owner
            else [],
            "tags_form": TagSetTagsForm() if owner else None,
            "association_form": AssociationForm() if owner else None,
        },
    )


@login_required
def tag_set_edit(request: HttpRequest, tag_set_id: int) -> HttpResponse:
    tag_set = access.access_tag_set_for_edit(request.user, tag_set_id)
    initial = {f: getattr(tag_set, f) for f in TagSetForm.base_fields}
    form = TagSetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.tag_set_update(
            actor=request.user, tag_set=tag_set, data=actions.TagSetInput(**form.cleaned_data)
        )
        return redirect(tag_set)
    return render(
        request, "collections/form.html", {"form": form, "heading": f"Edit {tag_set.title}"}
    )


@login_required
@require_POST
def tag_set_tags(request: HttpRequest, tag_set_id: int) -> HttpResponse:
    """Owners: add tags, link a tag to a fandom, or review a nomination."""
    tag_set = access.access_tag_set_for_edit(request.user, tag_set_id)
    try:
        if "nomination" in request.POST:
            nomination = access.access_nomination_for_review(
                request.user, int(request.POST["nomination"])
            )
            actions.nomination_review(
                actor=request.user,
                nomination=nomination,
                approve=request.POST.get("decision") == "approve",
            )
        elif "fandom_name" in request.POST:
            form = AssociationForm(request.POST)
            if form.is_valid():
                actions.tag_set_associate(actor=request.user, tag_set=tag_set, **form.cleaned_data)
        else:
            form = TagSetTagsForm(request.POST)
            if form.is_valid():
                actions.tag_set_add_tags(
                    actor=request.user,
                    tag_set=tag_set,
                    tag_type=form.cleaned_data["tag_type"],
                    names=[n.strip() for n in form.cleaned_data["names"].split(",") if n.strip()],
                )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The tag set was updated.")
    return redirect(tag_set)
