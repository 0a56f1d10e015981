"""Kudos and comments in the API: the same actions as the work page, the same refusals."""

from typing import Literal

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Router, Status
from ninja.errors import HttpError

from polis.api import output
from polis.api.auth import READ, USER_READ, WRITE, viewer
from polis.api.engagement.common import CommentRateLimited, refusals
from polis.api.engagement.schemas import (
    CommentCreatedOut,
    CommentIn,
    CommentOut,
    CommentPageOut,
    CommentPatch,
    CommentSettingsIO,
    KudosIn,
    KudosOut,
)
from polis.api.errors import ApiValidationError
from polis.api.schemas import READ_ERRORS, WRITE_ERRORS, ErrorOut
from polis.api.works import readable_work
from polis.engagement import comments as comment_actions
from polis.engagement.access import (
    access_comment_for_delete,
    access_comment_for_edit,
    access_comment_for_moderation,
    access_comment_for_view,
)
from polis.engagement.comment_tree import CommentNode, comment_subtree, work_threads
from polis.engagement.identity import guest_key
from polis.engagement.kudos import chapter_kudos_count, kudos_give, kudos_summary
from polis.engagement.limits import comment_wait
from polis.engagement.models import CommentPermission
from polis.engagement.refusals import WORK_UNAVAILABLE
from polis.works.access import RestrictedWork, access_chapter_for_view, access_work_for_edit

router = Router(tags=["kudos and comments"])


# --------------------------------------------------------------------------- output


def _author(comment) -> dict | None:
    if comment.deleted:
        return None
    if comment.pseud_id and comment.by_anonymous_creator:
        return {"name": comment.author_name, "username": None, "guest": False}
    if comment.pseud_id:
        return {"name": str(comment.pseud), "username": comment.pseud.user.username, "guest": False}
    return {"name": comment.author_name, "username": None, "guest": comment.user_id is None}


def comment_out(
    request: HttpRequest, comment, *, shown: bool = True, replies=(), continues: bool = False
) -> dict:
    visible = shown and not comment.deleted
    return {
        "id": comment.pk,
        "work_id": comment.work_id,
        "chapter_id": comment.chapter_id,
        "parent_id": comment.parent_id,
        "url": output.absolute(request, comment.get_absolute_url()),
        "author": _author(comment) if visible else None,
        "content": comment.content if visible else "",
        "status": comment.status,
        "hidden": comment.hidden,
        "frozen": comment.frozen,
        "deleted": comment.deleted,
        "shown": visible,
        "created_at": comment.created_at,
        "edited_at": comment.edited_at,
        "replies": list(replies),
        "has_more_replies": continues,
        "continue_url": (
            output.absolute(request, reverse("api-v1:comment_show", args=[comment.pk]))
            if continues
            else None
        ),
    }


def node_out(request: HttpRequest, node: CommentNode) -> dict:
    """A comment with its replies (at most MAX_LEVELS deep), built without recursion."""
    top = comment_out(request, node.comment, shown=node.visible, continues=node.continues)
    todo = [(node, top)]
    while todo:
        parent, body = todo.pop()
        for child in parent.children:
            out = comment_out(
                request, child.comment, shown=child.visible, continues=child.continues
            )
            body["replies"].append(out)
            todo.append((child, out))
    return top


# --------------------------------------------------------------------------- kudos


@router.post(
    "/works/{work_id}/kudos",
    response={200: KudosOut, 201: KudosOut, WRITE_ERRORS: ErrorOut},
    **WRITE,
)
def kudos_create(request: HttpRequest, work_id: int, payload: KudosIn | None = None) -> Status:
    """Leave kudos on a work, or on one of its chapters (`chapter_id`). Once only: 200 after."""
    actor = viewer(request)
    work = readable_work(request, work_id)
    chapter = None
    if payload is not None and payload.chapter_id is not None:
        chapter = access_chapter_for_view(actor, work, payload.chapter_id)
    _, created = refusals(
        kudos_give, actor=actor, work=work, chapter=chapter, guest_key=guest_key(request)
    )
    work.refresh_from_db(fields=["kudos_count"])
    summary = kudos_summary(work)
    body = {
        "created": created,
        "kudos": work.kudos_count,
        "chapter_kudos": chapter_kudos_count(chapter) if chapter else None,
        "users": summary.usernames,
        "more_users": summary.more_users,
        "guests": summary.guests,
    }
    return Status(201 if created else 200, body)


@router.get("/works/{work_id}/kudos", response={200: KudosOut, READ_ERRORS: ErrorOut}, **READ)
def kudos_list(request: HttpRequest, work_id: int) -> dict:
    work = readable_work(request, work_id)
    summary = kudos_summary(work)
    return {
        "created": False,
        "kudos": work.kudos_count,
        "chapter_kudos": None,
        "users": summary.usernames,
        "more_users": summary.more_users,
        "guests": summary.guests,
    }


# --------------------------------------------------------------------------- comments


@router.get(
    "/works/{work_id}/comments", response={200: CommentPageOut, READ_ERRORS: ErrorOut}, **READ
)
def comment_list(request: HttpRequest, work_id: int, page: int = 1, chapter_id: int | None = None):
    """One page of threads (20), oldest first, replies nested five levels deep as on the work
    page; where a thread goes deeper, the fifth level's comment has `has_more_replies` and a
    `continue_url` (its own `/comments/{id}`, which nests five more levels)."""
    who = viewer(request)
    work = readable_work(request, work_id)
    chapter = access_chapter_for_view(who, work, chapter_id) if chapter_id else None
    found, nodes, _ = work_threads(who, work, chapter=chapter, page_number=max(page, 1))
    return {
        "count": found.paginator.count,
        "page": found.number,
        "per_page": found.paginator.per_page,
        "results": [node_out(request, node) for node in nodes],
    }


def _comment_work(request: HttpRequest, work_id: int):
    try:
        work = readable_work(request, work_id)
    except Http404:
        raise HttpError(404, WORK_UNAVAILABLE) from None
    if not work.posted:
        raise HttpError(404, WORK_UNAVAILABLE)
    return work


@router.post(
    "/works/{work_id}/comments",
    response={200: CommentCreatedOut, 201: CommentCreatedOut, WRITE_ERRORS: ErrorOut},
    **WRITE,
)
def comment_create(request: HttpRequest, work_id: int, payload: CommentIn) -> Status:
    """Comment on a work or chapter, or reply (`parent_id`). A repeat answers 200 with the first."""
    actor = viewer(request)
    work = _comment_work(request, work_id)
    parent = chapter = pseud = None
    if payload.parent_id is not None:
        try:
            parent = access_comment_for_view(actor, payload.parent_id)
        except Http404:
            raise ApiValidationError([("parent_id", "No such comment on this work.")]) from None
    if payload.chapter_id is not None and parent is None:
        chapter = access_chapter_for_view(actor, work, payload.chapter_id)
    if payload.pseud is not None:
        pseud = actor.pseuds.filter(name__iexact=payload.pseud).first()
        if pseud is None:
            raise ApiValidationError([("pseud", "You have no pseud with that name.")])
    wait = comment_wait(actor, "")
    if wait is not None:
        raise CommentRateLimited(wait)
    comment, created = refusals(
        comment_actions.comment_create,
        actor=actor,
        work=work,
        text=payload.text,
        parent=parent,
        chapter=chapter,
        pseud=pseud,
    )
    return Status(201 if created else 200, {**comment_out(request, comment), "created": created})


@router.get(
    "/comments/{comment_id}",
    response={200: CommentOut, READ_ERRORS: ErrorOut},
    url_name="comment_show",
    **READ,
)
def comment_show(request: HttpRequest, comment_id: int) -> dict:
    """A comment with its replies five levels deep; deeper ones continue at `continue_url`."""
    try:
        comment = access_comment_for_view(viewer(request), comment_id)
    except RestrictedWork:
        raise Http404("No such comment.") from None
    node, _ = comment_subtree(viewer(request), comment)
    if node is None:
        raise Http404("No such comment.")
    return node_out(request, node)


@router.patch("/comments/{comment_id}", response={200: CommentOut, WRITE_ERRORS: ErrorOut}, **WRITE)
def comment_update(request: HttpRequest, comment_id: int, payload: CommentPatch) -> dict:
    actor = viewer(request)
    comment = access_comment_for_edit(actor, comment_id)
    comment = refusals(
        comment_actions.comment_update, actor=actor, comment=comment, text=payload.text
    )
    return comment_out(request, comment)


@router.delete("/comments/{comment_id}", response={204: None, WRITE_ERRORS: ErrorOut}, **WRITE)
def comment_delete(request: HttpRequest, comment_id: int, thread: bool = False) -> Status:
    """Delete a comment (one with replies stays as a placeholder); `thread=true` deletes the
    replies too (creators of the work and admins)."""
    actor = viewer(request)
    if thread:
        comment = access_comment_for_moderation(actor, comment_id)
        comment_actions.comment_thread_delete(actor=actor, comment=comment)
    else:
        comment = access_comment_for_delete(actor, comment_id)
        comment_actions.comment_delete(actor=actor, comment=comment)
    return Status(204, None)


_MODERATION = {
    "approve": lambda actor, c: comment_actions.comment_approve(actor=actor, comment=c),
    "freeze": lambda actor, c: comment_actions.comment_thread_freeze(actor=actor, comment=c),
    "unfreeze": lambda actor, c: comment_actions.comment_thread_freeze(
        actor=actor, comment=c, frozen=False
    ),
    "hide": lambda actor, c: comment_actions.comment_thread_hide(actor=actor, comment=c),
    "unhide": lambda actor, c: comment_actions.comment_thread_hide(
        actor=actor, comment=c, hidden=False
    ),
}


@router.post(
    "/comments/{comment_id}/{change}", response={200: CommentOut, WRITE_ERRORS: ErrorOut}, **WRITE
)
def comment_moderate(
    request: HttpRequest,
    comment_id: int,
    change: Literal["approve", "freeze", "unfreeze", "hide", "unhide"],
) -> dict:
    """Creators of the work (and admins): approve a held comment; freeze, unfreeze, hide or
    unhide a comment with all its replies."""
    actor = viewer(request)
    comment = access_comment_for_moderation(actor, comment_id)
    _MODERATION[change](actor, comment)
    comment.refresh_from_db()
    return comment_out(request, comment)


@router.get(
    "/works/{work_id}/comment_settings",
    response={200: CommentSettingsIO, READ_ERRORS: ErrorOut},
    **USER_READ,
)
def comment_settings_show(request: HttpRequest, work_id: int) -> dict:
    settings = comment_actions.comment_settings_for(access_work_for_edit(viewer(request), work_id))
    return {"permission": settings.permission, "moderated": settings.moderated}


@router.put(
    "/works/{work_id}/comment_settings",
    response={200: CommentSettingsIO, WRITE_ERRORS: ErrorOut},
    **WRITE,
)
def comment_settings_update(request: HttpRequest, work_id: int, payload: CommentSettingsIO) -> dict:
    """Who may comment (everyone, registered users, nobody) and whether comments are held."""
    actor = viewer(request)
    work = access_work_for_edit(actor, work_id)
    settings = comment_actions.comment_settings_update(
        actor=actor,
        work=work,
        permission=CommentPermission(payload.permission),
        moderated=payload.moderated,
    )
    return {"permission": settings.permission, "moderated": settings.moderated}
