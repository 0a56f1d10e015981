"""User pages: profile, works, drafts, co-creator requests, pseuds and account settings."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from polis.accounts import actions
from polis.accounts.access import access_own_user, access_pseud, access_pseud_for_edit, access_user
from polis.accounts.forms import PreferencesForm, PseudForm, UsernameChangeForm
from polis.accounts.selectors import pending_creatorships, pseuds_of
from polis.core.pagination import paginate
from polis.search.query import WorkFilter
from polis.search.service import latest_works
from polis.search.views import listing
from polis.works.access import drafts_of
from polis.works.selectors import with_display_data

LATEST_WORKS = 5


def _apply_errors(form: Form, error: ValidationError) -> None:
    """Show an action's refusal on the form, on the field it names when it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _per_page() -> int:
    return settings.POLIS_WORKS_PER_PAGE


def user_show(request: HttpRequest, username: str) -> HttpResponse:
    user = access_user(username)
    works = latest_works(
        viewer=request.user, f=WorkFilter(creator_user_id=user.pk), limit=LATEST_WORKS
    )
    context = {
        "profile_user": user,
        "is_owner": request.user.is_authenticated and request.user.pk == user.pk,
        "pseuds": pseuds_of(user),
        "works": list(works.page),
        "work_count": works.total,
    }
    return render(request, "accounts/user_show.html", context)


def user_profile(request: HttpRequest, username: str) -> HttpResponse:
    """`/users/<username>/profile`: AO3's profile (pseuds with their descriptions, the day
    they joined, their user id): nothing a reader could not learn elsewhere on the archive."""
    user = access_user(username)
    context = {"profile_user": user, "pseuds": pseuds_of(user)}
    return render(request, "accounts/user_profile.html", context)


def user_works(request: HttpRequest, username: str) -> HttpResponse:
    user = access_user(username)
    context = {
        "profile_user": user,
        "listing_title": f"Works by {user.username}",
        "listing_heading_suffix": f"by {user.username}",
    }
    return listing(
        request, template="accounts/user_works.html", context=context, creator_user_id=user.pk
    )


@login_required
def user_drafts(request: HttpRequest, username: str) -> HttpResponse:
    user = access_own_user(request.user, username)
    drafts = with_display_data(drafts_of(user)).order_by("-updated_at", "-pk")
    page = paginate(request, drafts, per_page=_per_page())
    return render(request, "accounts/user_drafts.html", {"profile_user": user, "page": page})


@login_required
def creatorship_requests(request: HttpRequest, username: str) -> HttpResponse:
    user = access_own_user(request.user, username)
    invitations = pending_creatorships(user)
    return render(
        request,
        "accounts/creatorship_requests.html",
        {"profile_user": user, "invitations": invitations},
    )


def pseud_index(request: HttpRequest, username: str) -> HttpResponse:
    user = access_user(username)
    context = {
        "profile_user": user,
        "is_owner": request.user.is_authenticated and request.user.pk == user.pk,
        "pseuds": pseuds_of(user),
    }
    return render(request, "accounts/pseud_index.html", context)


def pseud_show(request: HttpRequest, username: str, pseud: str) -> HttpResponse:
    user = access_user(username)
    pseud_obj = access_pseud(user, pseud)
    works = latest_works(
        viewer=request.user, f=WorkFilter(creator_pseud_id=pseud_obj.pk), limit=LATEST_WORKS
    )
    context = {
        "profile_user": user,
        "pseud": pseud_obj,
        "is_owner": request.user.is_authenticated and request.user.pk == user.pk,
        "works": list(works.page),
        "work_count": works.total,
    }
    return render(request, "accounts/pseud_show.html", context)


def pseud_works(request: HttpRequest, username: str, pseud: str) -> HttpResponse:
    user = access_user(username)
    pseud_obj = access_pseud(user, pseud)
    context = {
        "profile_user": user,
        "pseud": pseud_obj,
        "listing_title": f"Works by {pseud_obj}",
        "listing_heading_suffix": f"by {pseud_obj}",
    }
    return listing(
        request,
        template="accounts/pseud_works.html",
        context=context,
        creator_pseud_id=pseud_obj.pk,
    )


@login_required
def pseud_new(request: HttpRequest, username: str) -> HttpResponse:
    user = access_own_user(request.user, username)
    form = PseudForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pseud = actions.pseud_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"Pseud “{pseud.name}” was created.")
            return redirect(pseud)
    return render(
        request, "accounts/pseud_form.html", {"profile_user": user, "form": form, "pseud": None}
    )


@login_required
def pseud_edit(request: HttpRequest, username: str, pseud: str) -> HttpResponse:
    pseud_obj = access_pseud_for_edit(request.user, username, pseud)
    initial = {"name": pseud_obj.name, "description": pseud_obj.description}
    form = PseudForm(request.POST or None, initial=initial, name_locked=pseud_obj.is_default)
    if request.method == "POST" and form.is_valid():
        try:
            pseud_obj = actions.pseud_update(
                actor=request.user, pseud=pseud_obj, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
            pseud_obj.refresh_from_db()
        else:
            messages.success(request, f"Pseud “{pseud_obj.name}” was updated.")
            return redirect(pseud_obj)
    context = {"profile_user": pseud_obj.user, "form": form, "pseud": pseud_obj}
    return render(request, "accounts/pseud_form.html", context)


@login_required
def settings_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    is_post = request.method == "POST"
    username_data = request.POST if is_post and "change_username" in request.POST else None
    prefs_data = request.POST if is_post and "save_preferences" in request.POST else None
    username_form = UsernameChangeForm(
        username_data, user=user, initial={"username": user.username}, prefix="username"
    )
    prefs_form = PreferencesForm(
        prefs_data,
        initial={
            "view_adult": user.view_adult,
            "similar_works_enabled": user.similar_works_enabled,
        },
        prefix="preferences",
    )

    if username_data is not None and username_form.is_valid():
        try:
            actions.user_change_username(
                actor=user, new_username=username_form.cleaned_data["username"]
            )
        except ValidationError as error:
            _apply_errors(username_form, error)
            user.refresh_from_db(fields=["username"])
        else:
            messages.success(request, f"Your username is now {user.username}.")
            return redirect("accounts:settings")
    elif prefs_data is not None and prefs_form.is_valid():
        actions.user_update_preferences(
            actor=user,
            view_adult=prefs_form.cleaned_data["view_adult"],
            similar_works_enabled=prefs_form.cleaned_data["similar_works_enabled"],
        )
        messages.success(request, "Your preferences were saved.")
        return redirect("accounts:settings")

    forms_with_errors = [f for f in (username_form, prefs_form) if f.is_bound and f.errors]
    context = {
        "username_form": username_form,
        "prefs_form": prefs_form,
        "forms_with_errors": forms_with_errors,
    }
    return render(request, "accounts/settings.html", context)
