"""Collection pages: index, create, profile, settings, works, items, people, reveal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from polis.accounts.access import access_user
from polis.accounts.standing import AccountRestricted
from polis.collections import access
from polis.collections.actions import collections as actions
from polis.collections.actions import items as item_actions
from polis.collections.forms import AddToCollectionForm, CollectionForm, MemberForm
from polis.collections.models import Collection, CollectionItem, ItemStatus, Membership
from polis.collections.selectors import collection_work_ids
from polis.collections.views.common import apply_errors, flash_refusal
from polis.core.pagination import paginate
from polis.search.views import listing
from polis.works.access import access_work_for_edit, access_work_for_view


def collection_index(request: HttpRequest) -> HttpResponse:
    collections = (
        access.listed_collections(request.user).filter(parent=None).select_related("challenge")
    )
    return render(request, "collections/index.html", {"page": paginate(request, collections)})


def user_collections(request: HttpRequest, username: str) -> HttpResponse:
    """`/users/<username>/collections`: the collections a user owns (all theirs, to them)."""
    user = access_user(username)
    collections = access.user_collections(request.user, user).select_related("challenge")
    context = {"profile_user": user, "page": paginate(request, collections)}
    return render(request, "collections/user_collections.html", context)


@login_required
def collection_new(request: HttpRequest) -> HttpResponse:
    form = CollectionForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            collection = actions.collection_create(actor=request.user, data=form.collection_input())
        except AccountRestricted as error:
            form.add_error(None, str(error))
            status = 403
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Collection was successfully created.")
            return redirect(collection)
    context = {"form": form, "heading": "New Collection"}
    return render(request, "collections/form.html", context, status=status)


def _context(request: HttpRequest, collection: Collection) -> dict:
    challenge = getattr(collection, "challenge", None) if hasattr(collection, "challenge") else None
    return {
        "collection": collection,
        "challenge": challenge,
        "maintainer": access.is_maintainer(request.user, collection),
        "role": access.role_of(request.user, collection),
    }


def collection_show(request: HttpRequest, name: str) -> HttpResponse:
    collection = access.access_collection(request.user, name)
    context = _context(request, collection)
    context["children"] = access.listed_collections(request.user).filter(parent=collection)
    context["owners"] = Membership.objects.filter(
        collection=collection, role="owner"
    ).select_related("user")
    return render(request, "collections/show.html", context)


@login_required
def collection_edit(request: HttpRequest, name: str) -> HttpResponse:
    collection = access.access_collection_for_edit(request.user, name)
    initial = {
        field: getattr(collection, field)
        for field in ("name", "title", "description", "rules", "faq", "closed", "moderated",
                      "anonymous", "unrevealed", "reveal_at")
    }  # fmt: skip
    initial["parent_name"] = collection.parent.name if collection.parent_id else ""
    form = CollectionForm(request.POST or None, initial=initial)
    form.fields["name"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            actions.collection_update(
                actor=request.user, collection=collection, data=form.collection_input()
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Collection was successfully updated.")
            return redirect(collection)
    return render(
        request,
        "collections/form.html",
        {"form": form, "heading": f"Edit {collection.title}", "collection": collection},
    )


def collection_works_view(request: HttpRequest, name: str) -> HttpResponse:
    collection = access.access_collection(request.user, name)
    return listing(
        request,
        template="collections/works.html",
        context={**_context(request, collection), "listing_title": collection.title},
        work_ids=collection_work_ids(collection),
    )


@login_required
@require_POST
def collection_reveal_view(request: HttpRequest, name: str) -> HttpResponse:
    collection = access.access_collection_for_edit(request.user, name)
    actions.collection_reveal(
        actor=request.user,
        collection=collection,
        works=request.POST.get("what") in ("works", "all"),
        creators=request.POST.get("what") in ("creators", "all"),
    )
    messages.success(request, "The collection has been revealed.")
    return redirect(collection)


@login_required
def collection_items(request: HttpRequest, name: str) -> HttpResponse:
    """Maintainers: approve or reject works waiting for the collection, invite works."""
    collection = access.access_collection_for_edit(request.user, name)
    if request.method == "POST":
        item = access.access_item_for_moderation(request.user, int(request.POST.get("item", 0)))
        decision = request.POST.get("decision")
        if decision == "remove":
            item_actions.item_remove(actor=request.user, item=item)
        elif decision in ("approve", "reject"):
            item_actions.item_review(actor=request.user, item=item, approve=decision == "approve")
        messages.success(request, "The collection's works were updated.")
        return redirect("collections:items", name=name)
    items = CollectionItem.objects.filter(collection=collection).select_related("work")
    status = request.GET.get("status", "unreviewed")
    if status == "unreviewed":
        items = items.filter(collection_status=ItemStatus.UNREVIEWED)
    elif status == "approved":
        items = items.filter(collection_status=ItemStatus.APPROVED)
    return render(
        request,
        "collections/items.html",
        {**_context(request, collection), "items": items, "status": status},
    )


@login_required
@require_POST
def collection_invite(request: HttpRequest, name: str) -> HttpResponse:
    collection = access.access_collection_for_edit(request.user, name)
    raw = request.POST.get("work_id", "").strip()
    try:
        work = access_work_for_view(request.user, int(raw)) if raw.isdigit() else None
        if work is None:
            raise ValidationError("Give the number of a posted work (from its address).")
        item_actions.item_invite(actor=request.user, collection=collection, work=work)
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        messages.success(request, f"“{work.title}” was invited; its creators will decide.")
    return redirect("collections:items", name=name)


@login_required
def collection_members(request: HttpRequest, name: str) -> HttpResponse:
    collection = access.access_collection_for_edit(request.user, name)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.membership_set(
                actor=request.user,
                collection=collection,
                user=form.cleaned_data["username"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Membership saved.")
            return redirect("collections:members", name=name)
    members = Membership.objects.filter(collection=collection).select_related("user")
    return render(
        request,
        "collections/members.html",
        {**_context(request, collection), "form": form, "members": members},
    )


@login_required
def work_collections(request: HttpRequest, work_id: int) -> HttpResponse:
    """A creator adds their work to a collection and answers invitations."""
    work = access_work_for_edit(request.user, work_id)
    form = AddToCollectionForm(request.POST or None)
    if request.method == "POST" and "decision" in request.POST:
        item = access.access_item_for_creator(request.user, int(request.POST.get("item", 0)))
        if request.POST["decision"] == "remove":
            item_actions.item_remove(actor=request.user, item=item)
        else:
            item_actions.item_respond(
                actor=request.user, item=item, approve=request.POST["decision"] == "accept"
            )
        messages.success(request, "Your work's collections were updated.")
        return redirect("collections:work_collections", work_id=work.pk)
    if request.method == "POST" and form.is_valid():
        try:
            collection = access.access_collection(request.user, form.cleaned_data["collection"])
            item = item_actions.item_add(actor=request.user, collection=collection, work=work)
        except ValidationError as error:
            apply_errors(form, error)
        except Http404:
            form.add_error("collection", "There is no collection with that name.")
        else:
            if item.approved:
                messages.success(request, f"Added to {collection.title}.")
            else:
                messages.success(
                    request, f"Added to {collection.title}; it waits for the moderators."
                )
            return redirect("collections:work_collections", work_id=work.pk)
    items = work.collection_items.select_related("collection")
    return render(
        request, "collections/work_collections.html", {"work": work, "form": form, "items": items}
    )
