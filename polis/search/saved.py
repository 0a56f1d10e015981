"""Pages of a reader's own search tools: saved searches and the tag blocklist."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from polis.accounts.access import access_own_user
from polis.search import actions
from polis.search.access import access_saved_search_for_edit, access_tag_block
from polis.search.forms import BlockTagForm, SavedSearchForm
from polis.search.selectors import saved_searches_of, tag_blocks_of
from polis.tags.models import Tag


def _errors_to_form(form: SavedSearchForm | BlockTagForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@require_POST
@login_required
def saved_search_create(request: HttpRequest) -> HttpResponse:
    """The "Save this search" form of listing pages; back to the listing either way."""
    form = SavedSearchForm(request.POST)
    if form.is_valid():
        try:
            saved = actions.saved_search_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, f"Saved this search as “{saved.name}”.")
            return redirect(saved.query)
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)
    try:
        return redirect(actions.listing_url(request.POST.get("query", "")))
    except ValidationError:
        return redirect("search:saved_index", username=request.user.username)


def saved_search_index(request: HttpRequest, username: str) -> HttpResponse:
    """`/users/NAME/saved_searches`: the owner's saved searches; 404 for anyone else."""
    user = access_own_user(request.user, username)
    context = {"profile_user": user, "saved_searches": saved_searches_of(user)}
    return render(request, "search/saved_searches.html", context)


@require_POST
def saved_search_delete(request: HttpRequest, username: str, saved_id: int) -> HttpResponse:
    user = access_own_user(request.user, username)
    saved = access_saved_search_for_edit(user, saved_id)
    actions.saved_search_delete(actor=user, saved_search=saved)
    messages.success(request, f"Deleted the saved search “{saved.name}”.")
    return redirect("search:saved_index", username=user.username)


@login_required
@require_http_methods(["GET", "POST"])
def blocklist(request: HttpRequest) -> HttpResponse:
    """`/settings/blocklist`: add a tag by name, or remove one."""
    form = BlockTagForm()
    if request.method == "POST" and "remove" in request.POST:
        raw = request.POST.get("remove", "")
        tag = Tag.objects.filter(pk=int(raw)).first() if raw.isascii() and raw.isdigit() else None
        if tag is None:
            raise Http404("That tag is not on your blocklist.")
        access_tag_block(request.user, tag)
        actions.tag_block_remove(actor=request.user, tag=tag)
        messages.success(request, f"“{tag.name}” is no longer on your blocklist.")
        return redirect("search:blocklist")
    if request.method == "POST":
        form = BlockTagForm(request.POST)
        if form.is_valid():
            try:
                block = actions.tag_block_add(actor=request.user, name=form.cleaned_data["tag"])
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, f"Works tagged “{block.tag.name}” are now hidden.")
                return redirect("search:blocklist")
    context = {"form": form, "blocks": tag_blocks_of(request.user)}
    return render(request, "search/blocklist.html", context, status=400 if form.errors else 200)
