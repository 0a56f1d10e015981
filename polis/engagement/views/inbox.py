"""The inbox: notifications, marking read or unread, deleting, replying to comments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from polis.accounts.access import access_own_user
from polis.core.pagination import paginate
from polis.engagement import comments as comment_actions
from polis.engagement import notifications
from polis.engagement.access import access_comment_for_view, access_notification
from polis.engagement.comment_tree import comment_location
from polis.engagement.limits import comment_wait
from polis.engagement.notices import notices_prepare
from polis.engagement.refusals import Refused
from polis.engagement.views.common import RestrictedWork, refused

PER_PAGE = 20


@login_required
def inbox(request: HttpRequest, username: str) -> HttpResponse:
    user = access_own_user(request.user, username)
    unread_only = request.GET.get("filter") == "unread"
    notes = notifications.inbox_of(user, unread_only=unread_only)
    page = paginate(request, notes, per_page=PER_PAGE)
    page.object_list = notices_prepare(page.object_list)
    context = {
        "profile_user": user,
        "page": page,
        "unread_only": unread_only,
        "query": "filter=unread" if unread_only else "",
    }
    return render(request, "engagement/inbox.html", context)


def _ids(request: HttpRequest) -> list[int]:
    ids = []
    for value in request.POST.getlist("ids"):
        try:
            ids.append(int(value))
        except ValueError:
            continue
    return ids


@login_required
@require_POST
def inbox_update(request: HttpRequest, username: str) -> HttpResponse:
    """Mark the chosen notifications read or unread, or delete them."""
    user = access_own_user(request.user, username)
    ids = _ids(request)
    action = request.POST.get("action", "")
    back = reverse("engagement:inbox", kwargs={"username": user.username})
    if not ids:
        messages.error(request, "Choose at least one notification first.")
    elif action == "read":
        notifications.notifications_mark(actor=user, ids=ids, read=True)
        messages.success(request, "Marked as read.")
    elif action == "unread":
        notifications.notifications_mark(actor=user, ids=ids, read=False)
        messages.success(request, "Marked as unread.")
    elif action == "delete":
        notifications.notifications_delete(actor=user, ids=ids)
        messages.success(request, "Deleted.")
    else:
        messages.error(request, "Choose what to do with them.")
    return redirect(back)


@login_required
@require_POST
def inbox_reply(request: HttpRequest, username: str, notification_id: int) -> HttpResponse:
    """Reply to the comment a notification is about, right from the inbox."""
    user = access_own_user(request.user, username)
    note = access_notification(user, notification_id)
    text = request.POST.get("text", "")
    if note.comment_id is None:
        raise Http404("Nothing to reply to.")
    try:
        parent = access_comment_for_view(user, note.comment_id)
    except (Http404, RestrictedWork):
        return refused(
            request,
            "Sorry, that comment has been deleted or hidden. Your reply was not posted.",
            status=404,
            text=text,
        )
    wait = comment_wait(user, "")
    if wait is not None:
        response = refused(
            request,
            f"You are posting comments too fast. Please wait {wait} seconds.",
            status=429,
            text=text,
        )
        response["Retry-After"] = str(wait)
        return response
    try:
        comment, _ = comment_actions.comment_create(
            actor=user, work=parent.work, text=text, parent=parent
        )
    except Refused as error:
        return refused(request, str(error), text=text)
    except ValidationError as error:
        return refused(request, " ".join(error.messages), status=400, text=text)
    notifications.notifications_mark(actor=user, ids=[note.pk], read=True)
    messages.success(request, "Comment created!")
    return redirect(comment_location(user, comment))


@login_required
@require_POST
def inbox_settings(request: HttpRequest, username: str) -> HttpResponse:
    """The e-mail digest on or off."""
    user = access_own_user(request.user, username)
    enabled = request.POST.get("notification_emails") == "1"
    notifications.notification_emails_set(actor=user, enabled=enabled)
    messages.success(
        request,
        "You will get an e-mail digest of your notifications."
        if enabled
        else "You will no longer get e-mail digests.",
    )
    return redirect("engagement:inbox", username=user.username)
