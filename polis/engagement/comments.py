"""Every write to comments: post, reply, edit, delete, and the creator's thread controls.

Comments are sanitized HTML. A double submission (same author, place and text) finds the first
comment instead of making a second. New comments on moderated works, and comments that look
like spam, are held until a creator of the work (or an admin) approves them.
"""

import hashlib

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from polis.accounts.models import Pseud, User
from polis.accounts.standing import require_participation
from polis.core.site_settings import site_settings
from polis.core.text import to_html
from polis.engagement.models import (
    Comment,
    CommentPermission,
    CommentSettings,
    CommentStatus,
)
from polis.engagement.notifications import notify_comment
from polis.engagement.refusals import Refused
from polis.engagement.relations import (
    check_not_blocked_by,
    check_not_blocked_by_creators,
    is_moderator,
    work_creator_ids,
)
from polis.engagement.spam import spam_reason, text_hash
from polis.engagement.tasks import after_notifications
from polis.search.indexing import update_stats
from polis.works.models import Chapter, Work

COMMENT_MAX_LENGTH = 10_000
GUEST_NAME_MAX_LENGTH = 100
NO_COMMENTS = "Sorry, this work doesn't allow comments."
REGISTERED_ONLY = "Sorry, this work doesn't allow non-Archive users to comment."
GUESTS_OFF = "Sorry, guest comments are turned off on this archive for now; log in to comment."
FROZEN = "Sorry, this comment thread has been frozen; no one can reply to it or edit it."


def comment_settings_for(work: Work) -> CommentSettings:
    """The work's comment settings; the defaults (unsaved) when it has none."""
    found = CommentSettings.objects.filter(work=work).first()
    return found or CommentSettings(work=work)


@transaction.atomic
def comment_settings_update(
    *, actor: User, work: Work, permission: str, moderated: bool
) -> CommentSettings:
    settings = comment_settings_for(work)
    settings.permission = permission
    settings.moderated = moderated
    settings.full_clean()
    settings.save()
    return settings


def _check_text(text: str) -> str:
    if len(text) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {
                "text": f"Comments can be at most {COMMENT_MAX_LENGTH:,} characters long; "
                f"this one has {len(text):,}. Your text is kept below so you can shorten it."
            }
        )
    content = to_html(text, "html", allow_class=False, field="text") if text.strip() else ""
    if not content.strip():
        raise ValidationError({"text": "Please write a comment before posting it."})
    return content


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _check_guest(name: str, email: str) -> tuple[str, str]:
    errors: dict[str, str] = {}
    name = " ".join(name.split())
    email = email.strip()
    if not name:
        errors["name"] = "Please tell us your name."
    elif len(name) > GUEST_NAME_MAX_LENGTH:
        errors["name"] = f"Names can be at most {GUEST_NAME_MAX_LENGTH} characters long."
    elif (
        User.objects.filter(username__iexact=name).exists()
        or Pseud.objects.filter(name__iexact=name).exists()
        or _name_key(name).removesuffix(" (guest)") != _name_key(name)
    ):
        errors["name"] = (
            "That name belongs to someone with an account here. Please choose another, "
            "or log in if it is yours."
        )
    if not email:
        errors["email"] = "Please enter your e-mail address (it is never shown)."
    else:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = "Please enter a valid e-mail address."
    if errors:
        raise ValidationError(errors)
    return name, email


def _check_permission(actor: User | AnonymousUser, work: Work, privileged: bool) -> None:
    if privileged:
        return
    if not actor.is_authenticated and not site_settings().guest_comments:
        raise Refused(GUESTS_OFF)
    permission = comment_settings_for(work).permission
    if permission == CommentPermission.NOBODY:
        raise Refused(NO_COMMENTS)
    if permission == CommentPermission.REGISTERED and not actor.is_authenticated:
        raise Refused(REGISTERED_ONLY)


def _check_parent(parent: Comment, work: Work) -> None:
    if parent.work_id != work.pk:
        raise ValidationError({"parent_id": "That comment is not on this work."})
    if parent.deleted or parent.hidden or parent.staff_hidden or not parent.published:
        raise ValidationError({"parent_id": "That comment can't be replied to."})
    if parent.frozen:
        raise Refused(FROZEN)


def _author_filter(actor: User | AnonymousUser, guest_key: str) -> Q:
    if actor.is_authenticated:
        return Q(user=actor)
    return Q(user__isnull=True, guest_key=guest_key)


def _dedupe_key(author: str, work: Work, chapter_id, parent_id, content: str) -> str:
    raw = f"{author}|{work.pk}|{chapter_id}|{parent_id}|{text_hash(content)}"
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def comment_create(
    *,
    actor: User | AnonymousUser,
    work: Work,
    text: str,
    parent: Comment | None = None,
    chapter: Chapter | None = None,
    pseud: Pseud | None = None,
    guest_name: str = "",
    guest_email: str = "",
    guest_key: str = "",
) -> tuple[Comment, bool]:
    """Post a comment or a reply; (comment, False) when it repeats one already posted."""
    require_participation(actor, refused=Refused)  # suspended and banned: no comments
    if not work.posted:
        raise Refused("Comments can only be left on posted works.")
    creators = work_creator_ids(work)
    privileged = actor.is_authenticated and (actor.pk in creators or is_moderator(actor))
    _check_permission(actor, work, privileged)
    check_not_blocked_by_creators(actor, work)
    content = _check_text(text)
    comment = Comment(work=work, content=content, text_hash=text_hash(content))
    if actor.is_authenticated:
        if pseud is None:
            pseud = actor.pseuds.filter(is_default=True).first()
        elif pseud.user_id != actor.pk:
            raise ValidationError({"pseud": "Choose one of your own pseuds."})
        comment.user = actor
        comment.pseud = pseud
        author = f"user:{actor.pk}"
    else:
        comment.guest_name, comment.guest_email = _check_guest(guest_name, guest_email)
        comment.guest_key = guest_key
        author = f"guest:{guest_key}:{_name_key(comment.guest_name)}:{comment.guest_email}"
    if parent is not None:
        _check_parent(parent, work)
        check_not_blocked_by(actor, parent.user_id)
        comment.parent = parent
        comment.thread_id = parent.thread_id or parent.pk
        comment.depth = parent.depth + 1
        comment.chapter_id = parent.chapter_id
    elif chapter is not None:
        if chapter.work_id != work.pk or not chapter.posted:
            raise ValidationError({"chapter_id": "That chapter is not part of this work."})
        comment.chapter = chapter
    comment.dedupe_key = _dedupe_key(author, work, comment.chapter_id, comment.parent_id, content)
    existing = Comment.objects.filter(dedupe_key=comment.dedupe_key).first()
    if existing is not None:
        return existing, False
    if not privileged:
        reason = spam_reason(
            text=text, content=content, author=_author_filter(actor, guest_key), work_id=work.pk
        )
        if reason:
            comment.status = CommentStatus.SPAM
        elif comment_settings_for(work).moderated:
            comment.status = CommentStatus.HELD
    comment.full_clean(
        exclude=["parent", "thread", "work", "chapter", "user", "pseud", "dedupe_key"]
    )
    try:
        with transaction.atomic():
            comment.save()
    except IntegrityError:  # the other half of a double submission got there first
        return Comment.objects.get(dedupe_key=comment.dedupe_key), False
    notify_comment(comment)
    after_notifications()
    if comment.published:
        comments_recount(work.pk)
    return comment, True


@transaction.atomic
def comment_update(*, actor: User, comment: Comment, text: str) -> Comment:
    """The author edits their comment; it then shows when it was last edited."""
    require_participation(actor, refused=Refused)
    if comment.frozen:
        raise Refused(FROZEN)
    if comment.deleted:
        raise Refused("This comment has been deleted.")
    content = _check_text(text)
    comment.content = content
    comment.text_hash = text_hash(content)
    comment.dedupe_key = None
    comment.edited_at = timezone.now()
    was_published = comment.published
    if was_published and actor.pk not in work_creator_ids(comment.work):
        reason = spam_reason(
            text=text, content=content, author=Q(user=actor), work_id=comment.work_id
        )
        if reason:
            comment.status = CommentStatus.SPAM
    comment.save(update_fields=["content", "text_hash", "dedupe_key", "edited_at", "status"])
    if was_published != comment.published:
        comments_recount(comment.work_id)
    return comment


def _subtree_ids(comment: Comment) -> list[int]:
    """This comment and every reply below it, however deep."""
    root = comment.thread_id or comment.pk
    children: dict[int, list[int]] = {}
    for pk, parent_id in Comment.objects.filter(Q(pk=root) | Q(thread_id=root)).values_list(
        "pk", "parent_id"
    ):
        children.setdefault(parent_id, []).append(pk)
    ids, todo = [], [comment.pk]
    while todo:
        current = todo.pop()
        ids.append(current)
        todo.extend(children.get(current, []))
    return ids


def comment_thread_ids(comment: Comment) -> list[int]:
    """The ids of this comment and every reply below it: what a thread action changes."""
    return _subtree_ids(comment)


def _remove_empty_placeholders(parent_id: int | None) -> None:
    """A deleted comment kept only for its replies goes when its last reply goes."""
    while parent_id is not None:
        parent = Comment.objects.filter(pk=parent_id, deleted=True).first()
        if parent is None or parent.replies.exists():
            return
        parent_id = parent.parent_id
        parent.delete()


@transaction.atomic
def comment_delete(*, actor: User, comment: Comment) -> None:
    """Delete one comment; one with replies stays as "(Previous comment deleted.)"."""
    if comment.replies.exists():
        comment.deleted = True
        comment.content = ""
        comment.dedupe_key = None
        comment.save(update_fields=["deleted", "content", "dedupe_key"])
    else:
        parent_id = comment.parent_id
        comment.delete()
        _remove_empty_placeholders(parent_id)
    comments_recount(comment.work_id)


@transaction.atomic
def comment_thread_delete(*, actor: User, comment: Comment) -> int:
    """A creator (or an admin) deletes a comment with every reply below it."""
    ids = _subtree_ids(comment)
    parent_id = comment.parent_id
    Comment.objects.filter(pk__in=ids).order_by("-depth").delete()
    _remove_empty_placeholders(parent_id)
    comments_recount(comment.work_id)
    return len(ids)


@transaction.atomic
def comment_thread_freeze(*, actor: User, comment: Comment, frozen: bool = True) -> int:
    """Freeze (or unfreeze) a comment and its replies: no new replies, no edits."""
    return Comment.objects.filter(pk__in=_subtree_ids(comment)).update(frozen=frozen)


@transaction.atomic
def comment_thread_hide(*, actor: User, comment: Comment, hidden: bool = True) -> int:
    """Hide (or unhide) a comment and its replies from everyone but their authors."""
    changed = Comment.objects.filter(pk__in=_subtree_ids(comment)).update(hidden=hidden)
    comments_recount(comment.work_id)
    return changed


@transaction.atomic
def comment_thread_set_staff_hidden(*, actor: User, comment: Comment, hidden: bool) -> int:
    """Staff hide (or show) a comment and its replies: seen then by their authors and staff
    only, not by the work's creators (moderation records why)."""
    if not (actor.is_staff or actor.is_superuser):
        raise Refused("Only the archive's staff can do that.")
    changed = Comment.objects.filter(pk__in=_subtree_ids(comment)).update(staff_hidden=hidden)
    comment.staff_hidden = hidden
    comments_recount(comment.work_id)
    return changed


@transaction.atomic
def comment_approve(*, actor: User, comment: Comment) -> Comment:
    """Publish a held comment (moderated work, or held as possible spam)."""
    if comment.published:
        return comment
    comment.status = CommentStatus.PUBLISHED
    comment.save(update_fields=["status"])
    comment.notifications.filter(kind="comment_held").delete()
    notify_comment(comment, skip={actor.pk})
    after_notifications()
    comments_recount(comment.work_id)
    return comment


def counted_comments(work_id: int | None = None):
    """The comments a work's count shows: published, not hidden (by its creators or by
    staff), not deleted (of every work when no work is given)."""
    comments = Comment.objects.filter(
        status=CommentStatus.PUBLISHED, hidden=False, staff_hidden=False, deleted=False
    )
    return comments if work_id is None else comments.filter(work_id=work_id)


def comments_recount(work_id: int) -> int:
    count = counted_comments(work_id).count()
    Work.objects.filter(pk=work_id).update(comment_count=count)
    update_stats([work_id])
    return count
