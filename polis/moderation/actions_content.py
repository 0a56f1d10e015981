"""What staff do to content: hide or show it, mark it as spam, freeze a comment thread,
retag a work. Each action changes the thing through its own app's action, records an
audit entry, closes the target's open reports and tells the accounts behind it, in its
inbox and by e-mail, what was done and why — all in one transaction.
"""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction

from polis.accounts.models import User
from polis.collections.actions.collections import collection_set_hidden
from polis.core import audit
from polis.engagement.bookmarks import bookmark_set_hidden
from polis.engagement.comments import (
    comment_thread_freeze,
    comment_thread_ids,
    comment_thread_set_staff_hidden,
)
from polis.engagement.models import Comment
from polis.moderation.access import may_act_on, role_acting
from polis.moderation.actions import reports_close
from polis.moderation.models import ReportStatus, SpamMark, TargetType
from polis.moderation.notices import moderation_notify
from polis.moderation.targets import Target, find_target
from polis.works.actions import work_set_hidden, work_staff_retag
from polis.works.models import Chapter
from polis.works.series import series_set_hidden

_NOUNS = {
    TargetType.WORK: "work",
    TargetType.SERIES: "series",
    TargetType.BOOKMARK: "bookmark",
    TargetType.COMMENT: "comment",
    TargetType.COLLECTION: "collection",
}


def _check(actor: User, target: Target, action: str) -> None:
    if not may_act_on(actor, target.type, target.id, action):
        raise ValidationError({"action": "You may not do that."})


def _hideable(target: Target) -> Target:
    """A chapter is hidden with its work."""
    if target.type == TargetType.CHAPTER:
        work = find_target(TargetType.WORK, target.obj.work_id)
        if work is None:
            raise ValidationError({"action": "That work is gone."})
        return work
    if not target.hideable:
        raise ValidationError({"action": f"A {target.type} cannot be hidden."})
    return target


def _set_hidden(actor: User, target: Target, hidden: bool) -> None:
    obj = target.obj
    if target.type == TargetType.WORK:
        work_set_hidden(actor=actor, work=obj, hidden=hidden)
    elif target.type == TargetType.SERIES:
        series_set_hidden(actor=actor, series=obj, hidden=hidden)
    elif target.type == TargetType.BOOKMARK:
        bookmark_set_hidden(actor=actor, bookmark=obj, hidden=hidden)
    elif target.type == TargetType.COMMENT:
        comment_thread_set_staff_hidden(actor=actor, comment=obj, hidden=hidden)
    elif target.type == TargetType.COLLECTION:
        collection_set_hidden(actor=actor, collection=obj, hidden=hidden)


def _covered(asked: Target, acted: Target) -> list[tuple[str, int]]:
    """What an action on `acted` decides besides it, whose reports it closes too: the chapter
    that was asked about (hidden with its work), a hidden work's chapters, a hidden thread's
    replies."""
    keys = {asked.key} - {acted.key}
    if acted.type == TargetType.WORK:
        chapters = Chapter.objects.filter(work_id=acted.id).values_list("pk", flat=True)
        keys |= {(TargetType.CHAPTER, pk) for pk in chapters}
    elif acted.type == TargetType.COMMENT:
        keys |= {(TargetType.COMMENT, pk) for pk in comment_thread_ids(acted.obj)} - {acted.key}
    return sorted(keys)


def _repliers(target: Target) -> list[User]:
    """The other accounts whose replies a thread action on this comment changes."""
    if target.type != TargetType.COMMENT:
        return []
    owners = {user.pk for user in target.owners}
    ids = Comment.objects.filter(pk__in=comment_thread_ids(target.obj)).values("user_id")
    return list(User.objects.filter(pk__in=ids).exclude(pk__in=owners).order_by("pk"))


def _done(
    *,
    actor: User,
    target: Target,
    verb: str,
    reason: str,
    told: str,
    details: dict | None = None,
    close: str | None = ReportStatus.RESOLVED,
    covered: list[tuple[str, int]] = (),
    repliers_told: str = "",
) -> None:
    closed = 0
    if close:
        for target_type, target_id in [target.key, *covered]:
            closed += reports_close(
                actor=actor,
                target_type=target_type,
                target_id=target_id,
                status=close,
                resolution=verb,
            )
    audit.record(
        actor=actor,
        verb=verb,
        target_type=target.type,
        target_id=target.id,
        target_label=target.label,
        reason=reason,
        role=role_acting(actor),
        details={**(details or {}), "reports_closed": closed},
    )
    moderation_notify(users=target.owners, text=told, reason=reason, link=target.url)
    if repliers_told:
        repliers = _repliers(target)
        moderation_notify(users=repliers, text=repliers_told, reason=reason, link=target.url)


def _require_reason(reason: str) -> str:
    reason = reason.replace("\x00", "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why: the account is told."})
    return reason[:2000]


@transaction.atomic
def content_hide(*, actor: User, target: Target, reason: str) -> Target:
    """Hide a work, series, bookmark, comment (with its replies) or collection from everyone
    but the accounts behind it and staff."""
    reason = _require_reason(reason)
    _check(actor, target, "hide")
    asked, target = target, _hideable(target)
    _set_hidden(actor, target, True)
    noun = _NOUNS[target.type]
    _done(
        actor=actor,
        target=target,
        verb=f"{noun}.hide",
        reason=reason,
        told=f"The archive's staff hid your {noun} “{target.label}”: only you and staff "
        "can see it now. You can still edit it.",
        covered=_covered(asked, target),
        repliers_told=f"The archive's staff hid a comment thread your reply is in "
        f"(“{target.label}”): only you and staff can see your reply now.",
    )
    return target


@transaction.atomic
def content_unhide(*, actor: User, target: Target, reason: str) -> Target:
    """Show hidden content again (a spam mark on it goes too)."""
    reason = _require_reason(reason)
    _check(actor, target, "unhide")
    target = _hideable(target)
    _set_hidden(actor, target, False)
    SpamMark.objects.filter(target_type=target.type, target_id=target.id).delete()
    noun = _NOUNS[target.type]
    _done(
        actor=actor,
        target=target,
        verb=f"{noun}.unhide",
        reason=reason,
        told=f"The archive's staff made your {noun} “{target.label}” visible again.",
        close=None,
        repliers_told=f"The archive's staff made a comment thread your reply is in "
        f"(“{target.label}”) visible again.",
    )
    return target


@transaction.atomic
def content_mark_spam(*, actor: User, target: Target, reason: str = "Spam") -> Target:
    """Hide the content and count it against the account that made it (`spam_count`)."""
    reason = _require_reason(reason or "Spam")
    _check(actor, target, "spam")
    asked, target = target, _hideable(target)
    _set_hidden(actor, target, True)
    account = target.owners[0] if target.owners else None
    SpamMark.objects.get_or_create(
        target_type=target.type,
        target_id=target.id,
        defaults={"account": account, "marked_by": actor},
    )
    noun = _NOUNS[target.type]
    _done(
        actor=actor,
        target=target,
        verb=f"{noun}.spam",
        reason=reason,
        told=f"The archive's staff marked your {noun} “{target.label}” as spam and hid it.",
        details={"account": account.username if account else ""},
        covered=_covered(asked, target),
        repliers_told=f"The archive's staff hid a comment thread your reply is in "
        f"(“{target.label}”) as spam: only you and staff can see your reply now.",
    )
    return target


def spam_count(user: User) -> int:
    """How many things of this account staff marked as spam."""
    return SpamMark.objects.filter(account=user).count()


@transaction.atomic
def thread_freeze(*, actor: User, target: Target, frozen: bool, reason: str) -> Target:
    """Freeze (or unfreeze) a comment and its replies: no new replies, shown as frozen."""
    reason = _require_reason(reason)
    _check(actor, target, "freeze")
    if target.type != TargetType.COMMENT:
        raise ValidationError({"action": "Only comment threads can be frozen."})
    comment_thread_freeze(actor=actor, comment=target.obj, frozen=frozen)
    target.obj.frozen = frozen
    verb = "comment.freeze" if frozen else "comment.unfreeze"
    _done(
        actor=actor,
        target=target,
        verb=verb,
        reason=reason,
        told=(
            f"The archive's staff froze the comment thread of your “{target.label}”: it "
            "takes no new replies."
            if frozen
            else f"The archive's staff unfroze the comment thread of your “{target.label}”."
        ),
        close=ReportStatus.RESOLVED if frozen else None,
    )
    return target


@transaction.atomic
def work_retag(
    *,
    actor: User,
    target: Target,
    reason: str,
    rating: str | None = None,
    warnings: list[str] | None = None,
    tags: Mapping[str, list[str]] | None = None,
) -> Target:
    """Change a work's rating, warnings or tags when its creator will not."""
    reason = _require_reason(reason)
    _check(actor, target, "retag")
    asked = target
    if target.type == TargetType.CHAPTER:
        target = _hideable(target)
    if target.type != TargetType.WORK:
        raise ValidationError({"action": "Only works are retagged."})
    work = target.obj
    before = {"rating": work.rating}
    work_staff_retag(actor=actor, work=work, rating=rating, warnings=warnings, tags=tags)
    after = {"rating": work.rating}
    if warnings is not None:
        after["warnings"] = list(warnings)
    for name, values in (tags or {}).items():
        after[name] = list(values)
    _done(
        actor=actor,
        target=target,
        verb="work.retag",
        reason=reason,
        told=f"The archive's staff changed the rating, warnings or tags of your work "
        f"“{target.label}”.",
        details={"before": before, "after": after},
        covered=sorted({asked.key} - {target.key}),
    )
    return target
