"""Inbox notifications: who hears about a new work, chapter or comment, and the inbox actions.

Each recipient gets one notification per event (a unique `event_key`), however many of their
subscriptions it matches. Drafts and unposted chapters never notify; users who muted a creator
hear nothing from them; a work whose creators are hidden never names them, and a series
that does not show a work (an anonymous work in a named series, `polis.works.series`) does
not announce it. What a notice says is decided when it is read (`polis.engagement.notices`);
the text stored here is the record of the event.
"""

from django.db import transaction
from django.db.models import Prefetch, QuerySet

from polis.accounts.models import Mute, User
from polis.engagement.models import Comment, Notification, NotificationKind, Subscription
from polis.engagement.notices import (
    comment_text,
    new_chapter_text,
    new_work_text,
    series_addition_text,
    shown_notices,
)
from polis.engagement.relations import muted_user_ids
from polis.works.models import Chapter, Creatorship, SeriesWork, Work, creator_pseuds
from polis.works.series import shown_in_series_q
from polis.works.visibility import ANONYMOUS, can_see_creators, is_listed

TEXT_MAX = 500


def creators_hidden(work: Work) -> bool:
    """Whether the work must not name its creators (while it is anonymous)."""
    return not can_see_creators(work)


def hidden_from_readers(work: Work) -> bool:
    """Works not listed (unrevealed, hidden by staff) are announced when they are."""
    return not is_listed(work)


def _byline(work: Work) -> str:
    if creators_hidden(work):
        return ANONYMOUS
    return ", ".join(str(pseud) for pseud in creator_pseuds(work)) or ANONYMOUS


def _recipients(
    work: Work, *, work_subscribers: bool, user_subscribers: bool
) -> tuple[set[int], int | None]:
    """Subscribers to be told about `work`, minus its creators and users who muted one."""
    creator_ids = set(
        Creatorship.objects.filter(work=work, accepted=True).values_list(
            "pseud__user_id", flat=True
        )
    )
    series_ids = list(
        SeriesWork.objects.filter(shown_in_series_q(), work=work).values_list(
            "series_id", flat=True
        )
    )
    subscriptions = Subscription.objects.filter(series_id__in=series_ids)
    if work_subscribers:
        subscriptions = subscriptions | Subscription.objects.filter(work=work)
    if user_subscribers and not creators_hidden(work):
        subscriptions = subscriptions | Subscription.objects.filter(target_user_id__in=creator_ids)
    recipients = set(
        subscriptions.filter(user__is_active=True).values_list("user_id", flat=True).distinct()
    )
    recipients -= creator_ids
    muting = set(
        Mute.objects.filter(user_id__in=recipients, muted_id__in=creator_ids).values_list(
            "user_id", flat=True
        )
    )
    actor = None if creators_hidden(work) else min(creator_ids, default=None)
    return recipients - muting, actor


def _create(recipients: set[int], **fields) -> int:
    fields["text"] = fields["text"][:TEXT_MAX]
    Notification.objects.bulk_create(
        [Notification(recipient_id=user_id, **fields) for user_id in sorted(recipients)],
        ignore_conflicts=True,
    )
    return len(recipients)


@transaction.atomic
def notify_new_work(work_id: int) -> int:
    """Tell the creators' and the series' subscribers about a newly posted work."""
    work = Work.objects.filter(pk=work_id, posted=True).first()
    if work is None or hidden_from_readers(work):
        return 0
    recipients, actor = _recipients(work, work_subscribers=False, user_subscribers=True)
    return _create(
        recipients,
        kind=NotificationKind.NEW_WORK,
        event_key=f"work:{work.pk}",
        work=work,
        actor_id=actor,
        text=new_work_text(_byline(work), work.title),
    )


@transaction.atomic
def notify_new_chapter(chapter_id: int) -> int:
    """Tell the work's, the creators' and the series' subscribers about a new chapter."""
    chapter = (
        Chapter.objects.filter(pk=chapter_id, posted=True, work__posted=True)
        .numbered()  # readers are told the number they will see, not the position
        .select_related("work")
        .first()
    )
    if chapter is None or hidden_from_readers(chapter.work):
        return 0
    work = chapter.work
    recipients, actor = _recipients(work, work_subscribers=True, user_subscribers=True)
    # A chapter saved before its work was announced (posted with it, as the API's
    # multi-chapter posting does) was part of that announcement.
    recipients -= set(
        Notification.objects.filter(
            event_key=f"work:{work.pk}",
            recipient_id__in=recipients,
            created_at__gte=chapter.updated_at,
        ).values_list("recipient_id", flat=True)
    )
    return _create(
        recipients,
        kind=NotificationKind.NEW_CHAPTER,
        event_key=f"chapter:{chapter.pk}",
        work=work,
        chapter=chapter,
        actor_id=actor,
        text=new_chapter_text(_byline(work), chapter.heading, work.title),
    )


@transaction.atomic
def notify_series_addition(work_id: int, series_id: int) -> int:
    """Tell a series' subscribers that a posted work joined it (once per work and reader)."""
    entry = (
        SeriesWork.objects.filter(work_id=work_id, series_id=series_id, work__posted=True)
        .filter(shown_in_series_q())
        .select_related("work", "series")
        .first()
    )
    if entry is None or hidden_from_readers(entry.work) or entry.series.hidden:
        return 0
    work = entry.work
    recipients = set(
        Subscription.objects.filter(series_id=series_id, user__is_active=True).values_list(
            "user_id", flat=True
        )
    )
    creator_ids = set(
        Creatorship.objects.filter(work=work, accepted=True).values_list(
            "pseud__user_id", flat=True
        )
    )
    recipients -= creator_ids
    recipients -= set(
        Mute.objects.filter(user_id__in=recipients, muted_id__in=creator_ids).values_list(
            "user_id", flat=True
        )
    )
    return _create(
        recipients,
        kind=NotificationKind.NEW_WORK,
        event_key=f"work:{work.pk}",
        work=work,
        series=entry.series,
        actor_id=None if creators_hidden(work) else min(creator_ids, default=None),
        text=series_addition_text(_byline(work), work.title, entry.series.title),
    )


def notify_comment(comment: Comment, *, skip: set[int] | None = None) -> None:
    """A new comment: the work's creators and the author of the comment replied to hear."""
    skip = skip or set()
    work = comment.work
    creator_ids = set(
        Creatorship.objects.filter(work=work, accepted=True).values_list(
            "pseud__user_id", flat=True
        )
    )
    author_id = comment.user_id
    # A creator commenting on their anonymous work is "Anonymous Creator": never named.
    shown_actor = None if comment.by_anonymous_creator else author_id
    muting = skip | set(
        Mute.objects.filter(muted_id=author_id).values_list("user_id", flat=True)
        if author_id
        else []
    )
    name = comment.author_name
    if not comment.published:
        _create(
            creator_ids - {author_id} - muting,
            kind=NotificationKind.COMMENT_HELD,
            event_key=f"comment:{comment.pk}",
            work=work,
            comment=comment,
            actor_id=shown_actor,
            text=comment_text(NotificationKind.COMMENT_HELD, name, work.title),
        )
        return
    parent_author = comment.parent.user_id if comment.parent_id else None
    if parent_author and parent_author != author_id and parent_author not in muting:
        _create(
            {parent_author},
            kind=NotificationKind.REPLY,
            event_key=f"comment:{comment.pk}",
            work=work,
            comment=comment,
            actor_id=shown_actor,
            text=comment_text(NotificationKind.REPLY, name, work.title),
        )
    _create(
        creator_ids - {author_id, parent_author} - muting,
        kind=NotificationKind.COMMENT,
        event_key=f"comment:{comment.pk}",
        work=work,
        comment=comment,
        actor_id=shown_actor,
        text=comment_text(NotificationKind.COMMENT, name, work.title),
    )


# --------------------------------------------------------------------------- the inbox


def inbox_of(user: User, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's notifications that may be shown now (`shown_notices`), newest first,
    without those from users they muted; word a page of them with `notices_prepare`."""
    notes = shown_notices(user)
    muted = muted_user_ids(user)
    if muted:
        notes = notes.exclude(actor_id__in=muted).exclude(comment__user_id__in=muted)
    if unread_only:
        notes = notes.filter(read=False)
    return (
        notes.select_related("work", "series", "comment__pseud__user", "comment__work")
        # The chapter numbered as readers see it (its position counts drafts).
        .prefetch_related(Prefetch("chapter", queryset=Chapter.objects.numbered()))
        .order_by("-created_at", "-pk")
    )


def unread_count(user: User) -> int:
    return inbox_of(user, unread_only=True).count()


@transaction.atomic
def notifications_mark(*, actor: User, ids: list[int], read: bool) -> int:
    return Notification.objects.filter(recipient=actor, pk__in=ids).update(read=read)


@transaction.atomic
def notifications_delete(*, actor: User, ids: list[int]) -> int:
    deleted, _ = Notification.objects.filter(recipient=actor, pk__in=ids).delete()
    return deleted


@transaction.atomic
def notification_emails_set(*, actor: User, enabled: bool) -> User:
    """Turn the e-mail digest on or off (the inbox keeps every notification either way)."""
    actor.notification_emails = enabled
    actor.save(update_fields=["notification_emails"])
    return actor
