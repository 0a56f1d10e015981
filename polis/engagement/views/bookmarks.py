"""Bookmark pages: bookmark a work here or elsewhere, edit, delete, and the listings."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from polis.accounts.access import access_user
from polis.accounts.standing import AccountRestricted
from polis.core.pagination import paginate
from polis.engagement import bookmarks as actions
from polis.engagement.access import access_bookmark_for_edit, access_bookmark_for_view
from polis.engagement.bookmarks import with_bookmark_display
from polis.engagement.forms import BookmarkForm, ExternalBookmarkForm
from polis.engagement.views.common import (
    RestrictedWork,
    apply_errors,
    readable_work,
    restricted,
)


def _per_page() -> int:
    return settings.POLIS_WORKS_PER_PAGE


def _fields(form: BookmarkForm) -> dict:
    data = form.cleaned_data
    return {
        "notes": data["notes"],
        "tags": data["tags"],
        "private": data["private"],
        "rec": data["rec"],
        "pseud": data.get("pseud"),
    }


def _initial(bookmark) -> dict:
    return {
        "notes": bookmark.notes,
        "tags": ", ".join(tag.name for tag in bookmark.tags.all()),
        "private": bookmark.private,
        "rec": bookmark.rec,
        "pseud": bookmark.pseud_id,
    }


@login_required
def work_bookmark(request: HttpRequest, work_id: int) -> HttpResponse:
    """Bookmark a work; if the reader already did, this edits their bookmark."""
    try:
        work = readable_work(request, work_id)
    except RestrictedWork:
        return restricted(request)
    existing = actions.bookmark_of(request.user, work)
    if existing is not None:
        return redirect("engagement:bookmark_edit", bookmark_id=existing.pk)
    form = BookmarkForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            bookmark, created = actions.bookmark_create(
                actor=request.user, work=work, **_fields(form)
            )
        except AccountRestricted as error:
            form.add_error(None, str(error))  # the form keeps what was typed
            status = 403
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                "Bookmark was successfully created." if created else "You already bookmarked it.",
            )
            return redirect(bookmark)
    return render(
        request,
        "engagement/bookmark_form.html",
        {"form": form, "work": work, "bookmark": None},
        status=status,
    )


@login_required
def external_bookmark(request: HttpRequest) -> HttpResponse:
    form = ExternalBookmarkForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            external = actions.external_work_find_or_create(
                actor=request.user,
                url=data["url"],
                title=data["title"],
                creator=data["creator"],
                fandom=data["fandom"],
                rating=data["rating"],
            )
            bookmark, created = actions.bookmark_create(
                actor=request.user, external=external, **_fields(form)
            )
        except AccountRestricted as error:
            form.add_error(None, str(error))  # the form keeps what was typed
            status = 403
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                "Bookmark was successfully created." if created else "You already bookmarked it.",
            )
            return redirect(bookmark)
    return render(
        request,
        "engagement/bookmark_form.html",
        {"form": form, "work": None, "bookmark": None},
        status=status,
    )


def bookmark_show(request: HttpRequest, bookmark_id: int) -> HttpResponse:
    bookmark = access_bookmark_for_view(request.user, bookmark_id)
    bookmark = with_bookmark_display(type(bookmark).objects.filter(pk=bookmark.pk)).get()
    return render(request, "engagement/bookmark_show.html", {"bookmark": bookmark})


@login_required
def bookmark_edit(request: HttpRequest, bookmark_id: int) -> HttpResponse:
    bookmark = access_bookmark_for_edit(request.user, bookmark_id)
    form = BookmarkForm(request.POST or None, user=request.user, initial=_initial(bookmark))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            actions.bookmark_update(actor=request.user, bookmark=bookmark, **_fields(form))
        except AccountRestricted as error:
            form.add_error(None, str(error))  # the form keeps what was typed
            status = 403
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Bookmark was successfully updated.")
            return redirect(bookmark)
    context = {"form": form, "work": bookmark.work, "bookmark": bookmark}
    return render(request, "engagement/bookmark_form.html", context, status=status)


@login_required
def bookmark_delete(request: HttpRequest, bookmark_id: int) -> HttpResponse:
    bookmark = access_bookmark_for_edit(request.user, bookmark_id)
    if request.method == "POST":
        actions.bookmark_delete(actor=request.user, bookmark=bookmark)
        messages.success(request, "Bookmark was successfully deleted.")
        return redirect("engagement:user_bookmarks", username=request.user.username)
    return render(request, "engagement/bookmark_delete.html", {"bookmark": bookmark})


def bookmark_index(request: HttpRequest) -> HttpResponse:
    page = paginate(request, actions.recent_bookmarks(request.user), per_page=_per_page())
    return render(request, "engagement/bookmark_index.html", {"page": page, "heading": "Bookmarks"})


def user_bookmarks(request: HttpRequest, username: str) -> HttpResponse:
    user = access_user(username)
    tag = request.GET.get("tag", "").strip()
    bookmarks = actions.bookmarks_of_user(request.user, user, tag=tag)
    page = paginate(request, bookmarks, per_page=_per_page())
    context = {
        "page": page,
        "profile_user": user,
        "tag": tag,
        "heading": f"Bookmarks by {user.username}" + (f" tagged “{tag}”" if tag else ""),
        "query": f"tag={tag}" if tag else "",
    }
    return render(request, "engagement/bookmark_index.html", context)


def work_bookmarks(request: HttpRequest, work_id: int) -> HttpResponse:
    try:
        work = readable_work(request, work_id)
    except RestrictedWork:
        return restricted(request)
    page = paginate(request, actions.bookmarks_of_work(request.user, work), per_page=_per_page())
    context = {"page": page, "work": work, "heading": f"Bookmarks of “{work.title}”"}
    return render(request, "engagement/bookmark_index.html", context)
