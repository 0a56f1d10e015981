"""Comment pages: post and reply, a thread's own page, edit, delete, and creators' controls."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from polis.engagement import comments as actions
from polis.engagement.access import (
    access_comment_for_delete,
    access_comment_for_edit,
    access_comment_for_moderation,
    access_comment_for_view,
)
from polis.engagement.anonymous_creators import mark_anonymous_creators
from polis.engagement.comment_tree import (
    comment_location,
    comment_subtree,
    held_comments,
)
from polis.engagement.forms import CommentEditForm, CommentForm, CommentSettingsForm
from polis.engagement.identity import guest_key
from polis.engagement.limits import comment_wait
from polis.engagement.models import Comment, CommentStatus
from polis.engagement.refusals import WORK_UNAVAILABLE, Refused
from polis.engagement.views.common import (
    RestrictedWork,
    apply_errors,
    readable_work,
    refused,
    restricted,
    safe_next,
)
from polis.works.access import access_chapter_for_view, access_work_for_edit
from polis.works.models import Work

RATE_LIMITED = (
    "You are posting comments faster than this archive allows. Please wait {wait} seconds "
    "and post again; your comment is kept below."
)


def _form_page(
    request: HttpRequest,
    form: CommentForm,
    work: Work,
    parent: Comment | None,
    *,
    status: int = 200,
    notice: str = "",
) -> HttpResponse:
    context = {"form": form, "work": work, "parent": parent, "notice": notice}
    return render(request, "engagement/comment_form.html", context, status=status)


def _posted_message(comment: Comment, created: bool) -> str:
    if not created:
        return "You already posted this comment; here it is."
    if comment.status == CommentStatus.HELD:
        return (
            "Your comment was received! It will appear publicly after the creator of the "
            "work has approved it."
        )
    if comment.status == CommentStatus.SPAM:
        return "Your comment was received and is being held for review."
    return "Comment created!"


@require_POST
def comment_create(request: HttpRequest, work_id: int) -> HttpResponse:
    """Post a comment or a reply; a refused one comes back with the text as typed."""
    text = request.POST.get("text", "")
    try:
        work = readable_work(request, work_id)
    except RestrictedWork:
        return restricted(request)
    except Http404:
        return refused(request, WORK_UNAVAILABLE, status=404, text=text)
    if not work.posted:
        return refused(request, WORK_UNAVAILABLE, status=404, text=text)
    form = CommentForm(request.POST, user=request.user)
    parent = None
    if not form.is_valid():
        return _form_page(request, form, work, parent)
    data = form.cleaned_data
    if data.get("parent_id"):
        try:
            parent = access_comment_for_view(request.user, data["parent_id"])
        except (Http404, RestrictedWork):
            return refused(
                request,
                "Sorry, the comment you replied to has been deleted or hidden. "
                "Your reply was not posted.",
                status=404,
                text=text,
                back=work.get_absolute_url(),
            )
    chapter = None
    if data.get("chapter_id") and parent is None:
        chapter = access_chapter_for_view(request.user, work, data["chapter_id"])
    key = guest_key(request)
    wait = comment_wait(request.user, key)
    if wait is not None:
        response = _form_page(
            request, form, work, parent, status=429, notice=RATE_LIMITED.format(wait=wait)
        )
        response["Retry-After"] = str(wait)
        return response
    try:
        comment, created = actions.comment_create(
            actor=request.user,
            work=work,
            text=text,
            parent=parent,
            chapter=chapter,
            pseud=data.get("pseud"),
            guest_name=data.get("name", ""),
            guest_email=data.get("email", ""),
            guest_key=key,
        )
    except Refused as error:
        return refused(request, str(error), text=text, back=work.get_absolute_url())
    except ValidationError as error:
        apply_errors(form, error)
        return _form_page(request, form, work, parent)
    messages.success(request, _posted_message(comment, created))
    return redirect(comment_location(request.user, comment))


def comment_show(request: HttpRequest, comment_id: int) -> HttpResponse:
    """A comment with its replies: where deep threads continue."""
    try:
        comment = access_comment_for_view(request.user, comment_id)
    except RestrictedWork:
        return restricted(request)
    node, ctx = comment_subtree(request.user, comment)
    if node is None:
        raise Http404("No such comment.")
    context = {"work": comment.work, "node": node, "ctx": ctx, "comment": comment}
    return render(request, "engagement/comment_show.html", context)


@login_required
def comment_edit(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = access_comment_for_edit(request.user, comment_id)
    form = CommentEditForm(request.POST or None, initial={"text": comment.content})
    if request.method == "POST" and form.is_valid():
        try:
            actions.comment_update(actor=request.user, comment=comment, text=request.POST["text"])
        except Refused as error:
            return refused(request, str(error), text=request.POST["text"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Comment was successfully updated.")
            return redirect(comment_location(request.user, comment))
    return render(request, "engagement/comment_edit.html", {"form": form, "comment": comment})


@login_required
def comment_delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = access_comment_for_delete(request.user, comment_id)
    thread = request.GET.get("thread") == "1" or request.POST.get("thread") == "1"
    if thread:
        comment = access_comment_for_moderation(request.user, comment_id)
    if request.method == "POST":
        back = comment.work.get_absolute_url()
        if thread:
            actions.comment_thread_delete(actor=request.user, comment=comment)
            messages.success(request, "The comment thread was deleted.")
        else:
            actions.comment_delete(actor=request.user, comment=comment)
            messages.success(request, "Comment deleted.")
        return redirect(safe_next(request, back))
    return render(request, "engagement/comment_delete.html", {"comment": comment, "thread": thread})


def _moderate(request: HttpRequest, comment_id: int, change) -> HttpResponse:
    comment = access_comment_for_moderation(request.user, comment_id)
    message = change(comment)
    messages.success(request, message)
    return redirect(safe_next(request, comment_location(request.user, comment)))


@login_required
@require_POST
def comment_freeze(request: HttpRequest, comment_id: int) -> HttpResponse:
    frozen = request.POST.get("frozen", "1") == "1"

    def change(comment: Comment) -> str:
        actions.comment_thread_freeze(actor=request.user, comment=comment, frozen=frozen)
        return "Comment thread frozen." if frozen else "Comment thread unfrozen."

    return _moderate(request, comment_id, change)


@login_required
@require_POST
def comment_hide(request: HttpRequest, comment_id: int) -> HttpResponse:
    hidden = request.POST.get("hidden", "1") == "1"

    def change(comment: Comment) -> str:
        actions.comment_thread_hide(actor=request.user, comment=comment, hidden=hidden)
        return "Comment thread hidden." if hidden else "Comment thread made visible again."

    return _moderate(request, comment_id, change)


@login_required
@require_POST
def comment_approve(request: HttpRequest, comment_id: int) -> HttpResponse:
    def change(comment: Comment) -> str:
        actions.comment_approve(actor=request.user, comment=comment)
        return "Comment approved."

    return _moderate(request, comment_id, change)


@login_required
def comments_held(request: HttpRequest, work_id: int) -> HttpResponse:
    """A creator's queue of comments waiting for approval on one work."""
    work = access_work_for_edit(request.user, work_id)
    comments = list(held_comments(work))
    mark_anonymous_creators(comments, work=work)  # once for the page, not once per comment
    context = {"work": work, "comments": comments}
    return render(request, "engagement/comments_held.html", context)


@login_required
def comment_settings(request: HttpRequest, work_id: int) -> HttpResponse:
    work = access_work_for_edit(request.user, work_id)
    current = actions.comment_settings_for(work)
    form = CommentSettingsForm(
        request.POST or None,
        initial={"permission": current.permission, "moderated": current.moderated},
    )
    if request.method == "POST" and form.is_valid():
        actions.comment_settings_update(actor=request.user, work=work, **form.cleaned_data)
        messages.success(request, "Comment settings saved.")
        return redirect(work)
    return render(request, "engagement/comment_settings.html", {"form": form, "work": work})
