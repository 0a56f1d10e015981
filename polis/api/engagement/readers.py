"""A reader's own things in the API: subscriptions, inbox, history, Marked for Later,
statistics of their works, and the users they muted or blocked."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Query, Router, Status

from polis.accounts.access import access_user
from polis.accounts.models import User
from polis.api import output
from polis.api.auth import USER_READ, WRITE, viewer
from polis.api.engagement.common import CommentRateLimited, refusals
from polis.api.engagement.feedback import comment_out
from polis.api.engagement.schemas import (
    CommentCreatedOut,
    DigestSettingsIO,
    HistorySettingsIn,
    InboxOut,
    InboxParams,
    NotificationOut,
    ReadIn,
    ReadingPageOut,
    ReplyIn,
    StatsParams,
    SubscriptionCreatedOut,
    SubscriptionIn,
    SubscriptionOut,
    UsernameIn,
    UserNameOut,
    WorkStatsOut,
)
from polis.api.errors import ApiValidationError, django_errors
from polis.api.output import page_of
from polis.api.schemas import READ_ERRORS, WRITE_ERRORS, ErrorOut, PageParams
from polis.api.works import readable_work
from polis.engagement import comments as comment_actions
from polis.engagement import notifications, reading, relations, stats, subscriptions
from polis.engagement.access import (
    access_comment_for_view,
    access_notification,
    access_subscription,
)
from polis.engagement.limits import comment_wait
from polis.engagement.models import Notification, Subscription
from polis.engagement.notices import notices_prepare
from polis.works.access import RestrictedWork
from polis.works.series import access_series_for_view

router = Router(tags=["readers"])


def subscription_out(request: HttpRequest, sub: Subscription) -> dict:
    target = sub.target_user or sub.work or sub.series
    return {
        "id": sub.pk,
        "type": sub.type,
        "target": target.username if sub.target_user_id else target.title,
        "url": output.absolute(request, target.get_absolute_url()),
        "created_at": sub.created_at,
    }


def notification_out(request: HttpRequest, note: Notification) -> dict:
    target = note.comment or note.chapter or note.work
    return {
        "id": note.pk,
        "kind": note.kind,
        "text": note.shown_text,
        "read": note.read,
        "url": output.absolute(request, target.get_absolute_url()) if target else None,
        "work_id": note.work_id,
        "comment_id": note.comment_id,
        "created_at": note.created_at,
    }


def _user_out(request: HttpRequest, user: User) -> dict:
    return {"username": user.username, "url": output.absolute(request, user.get_absolute_url())}


# --------------------------------------------------------------------------- subscriptions


def _target(request: HttpRequest, kind: str, raw: int | str):
    if kind == "user":
        if isinstance(raw, int):
            user = User.objects.filter(pk=raw, is_active=True).first()
            if user is None:
                raise Http404("No such user.")
            return user
        return access_user(raw)
    if not isinstance(raw, int):
        raise ApiValidationError([("id", "Give the id of the work or series, a number.")])
    if kind == "work":
        return readable_work(request, raw)
    try:
        return access_series_for_view(viewer(request), raw)
    except RestrictedWork:
        raise Http404("No such series.") from None


@router.post(
    "/subscriptions",
    response={200: SubscriptionCreatedOut, 201: SubscriptionCreatedOut, WRITE_ERRORS: ErrorOut},
    **WRITE,
)
def subscription_create(request: HttpRequest, payload: SubscriptionIn) -> Status:
    """Subscribe to a user, a work or a series; told of new works and chapters in the inbox."""
    actor = viewer(request)
    target = _target(request, payload.type, payload.id)
    sub, created = refusals(
        subscriptions.subscription_create, actor=actor, target=target, rename={"__all__": "id"}
    )
    return Status(201 if created else 200, {**subscription_out(request, sub), "created": created})


@router.get(
    "/subscriptions", response={200: list[SubscriptionOut], READ_ERRORS: ErrorOut}, **USER_READ
)
def subscription_list(request: HttpRequest) -> list[dict]:
    return [subscription_out(request, s) for s in subscriptions.subscriptions_of(viewer(request))]


@router.delete(
    "/subscriptions/{subscription_id}", response={204: None, WRITE_ERRORS: ErrorOut}, **WRITE
)
def subscription_delete(request: HttpRequest, subscription_id: int) -> Status:
    actor = viewer(request)
    subscriptions.subscription_delete(
        actor=actor, subscription=access_subscription(actor, subscription_id)
    )
    return Status(204, None)


# --------------------------------------------------------------------------- inbox


@router.get("/inbox", response={200: InboxOut, READ_ERRORS: ErrorOut}, **USER_READ)
def inbox(request: HttpRequest, params: Query[InboxParams]) -> dict:
    """Notifications, newest first (`unread=true` for unread only)."""
    user = viewer(request)
    notes = notifications.inbox_of(user, unread_only=params.unread)
    count, items = page_of(notes, params.page, params.per_page)
    return {
        "count": count,
        "unread": notifications.unread_count(user),
        "page": params.page,
        "per_page": params.per_page,
        "results": [notification_out(request, note) for note in notices_prepare(items)],
    }


@router.patch(
    "/inbox/{int:notification_id}", response={200: NotificationOut, WRITE_ERRORS: ErrorOut}, **WRITE
)
def notification_update(request: HttpRequest, notification_id: int, payload: ReadIn) -> dict:
    actor = viewer(request)
    note = access_notification(actor, notification_id)
    notifications.notifications_mark(actor=actor, ids=[note.pk], read=payload.read)
    return notification_out(request, access_notification(actor, notification_id))


@router.delete(
    "/inbox/{int:notification_id}", response={204: None, WRITE_ERRORS: ErrorOut}, **WRITE
)
def notification_delete(request: HttpRequest, notification_id: int) -> Status:
    actor = viewer(request)
    note = access_notification(actor, notification_id)
    notifications.notifications_delete(actor=actor, ids=[note.pk])
    return Status(204, None)


@router.put("/inbox/settings", response={200: DigestSettingsIO, WRITE_ERRORS: ErrorOut}, **WRITE)
def inbox_settings(request: HttpRequest, payload: DigestSettingsIO) -> dict:
    """Whether new notifications also arrive as an e-mail digest."""
    user = notifications.notification_emails_set(actor=viewer(request), enabled=payload.emails)
    return {"emails": user.notification_emails}


@router.post(
    "/inbox/{notification_id}/reply",
    response={200: CommentCreatedOut, 201: CommentCreatedOut, WRITE_ERRORS: ErrorOut},
    **WRITE,
)
def notification_reply(request: HttpRequest, notification_id: int, payload: ReplyIn) -> Status:
    """Reply to the comment a notification is about; the notification is then read."""
    actor = viewer(request)
    note = access_notification(actor, notification_id)
    if note.comment_id is None:
        raise ApiValidationError([(None, "This notification is not about a comment.")])
    try:
        parent = access_comment_for_view(actor, note.comment_id)
    except (Http404, RestrictedWork):
        raise Http404("That comment has been deleted or hidden.") from None
    wait = comment_wait(actor, "")
    if wait is not None:
        raise CommentRateLimited(wait)
    comment, created = refusals(
        comment_actions.comment_create,
        actor=actor,
        work=parent.work,
        text=payload.text,
        parent=parent,
    )
    notifications.notifications_mark(actor=actor, ids=[note.pk], read=True)
    return Status(201 if created else 200, {**comment_out(request, comment), "created": created})


# --------------------------------------------------------------------------- muting, blocking


def _people_routes(kind: str, add, remove, listing, attr: str) -> None:
    @router.post(
        f"/{kind}",
        response={201: UserNameOut, WRITE_ERRORS: ErrorOut},
        **WRITE,
        operation_id=f"{kind}_create",
    )
    def create(request: HttpRequest, payload: UsernameIn) -> Status:
        actor = viewer(request)
        target = access_user(payload.username)
        try:
            add(actor=actor, target=target)
        except ValidationError as error:
            raise ApiValidationError(django_errors(error)) from None
        return Status(201, _user_out(request, target))

    @router.get(
        f"/{kind}",
        response={200: list[UserNameOut], READ_ERRORS: ErrorOut},
        **USER_READ,
        operation_id=f"{kind}_list",
    )
    def index(request: HttpRequest) -> list[dict]:
        return [_user_out(request, getattr(row, attr)) for row in listing(viewer(request))]

    @router.delete(
        f"/{kind}/{{username}}",
        response={204: None, WRITE_ERRORS: ErrorOut},
        **WRITE,
        operation_id=f"{kind}_delete",
    )
    def delete(request: HttpRequest, username: str) -> Status:
        remove(actor=viewer(request), target=access_user(username))
        return Status(204, None)


_people_routes("mutes", relations.mute_add, relations.mute_remove, relations.mutes_of, "muted")
_people_routes(
    "blocks", relations.block_add, relations.block_remove, relations.blocks_of, "blocked"
)


# --------------------------------------------------------------------------- history


def _readings(request: HttpRequest, readings, params: PageParams) -> dict:
    count, items = page_of(readings, params.page, params.per_page)
    output.viewer_counts(request, [item.work for item in items])
    return {
        "count": count,
        "page": params.page,
        "per_page": params.per_page,
        "results": [
            {
                "work": output.work_summary(request, item.work),
                "last_viewed_at": item.last_viewed_at,
                "view_count": item.view_count,
                "chapter_id": item.chapter_id,
                "marked_for_later": item.later,
            }
            for item in items
        ],
    }


@router.get("/history", response={200: ReadingPageOut, READ_ERRORS: ErrorOut}, **USER_READ)
def history(request: HttpRequest, params: Query[PageParams]) -> dict:
    return _readings(request, reading.history_of(viewer(request)), params)


@router.delete("/history/{int:work_id}", response={204: None, WRITE_ERRORS: ErrorOut}, **WRITE)
def history_delete(request: HttpRequest, work_id: int) -> Status:
    """Take one work out of the history (a mark for later stays)."""
    reading.reading_delete(actor=viewer(request), work=readable_work(request, work_id))
    return Status(204, None)


@router.delete("/history", response={204: None, WRITE_ERRORS: ErrorOut}, **WRITE)
def history_clear(request: HttpRequest) -> Status:
    reading.history_clear(actor=viewer(request))
    return Status(204, None)


@router.put("/history/settings", response={200: HistorySettingsIn, WRITE_ERRORS: ErrorOut}, **WRITE)
def history_settings(request: HttpRequest, payload: HistorySettingsIn) -> dict:
    """Turn the history on or off; turning it off deletes it."""
    user = reading.history_set_enabled(actor=viewer(request), enabled=payload.enabled)
    return {"enabled": user.history_enabled}


@router.get("/marked_for_later", response={200: ReadingPageOut, READ_ERRORS: ErrorOut}, **USER_READ)
def later_list(request: HttpRequest, params: Query[PageParams]) -> dict:
    return _readings(request, reading.marked_for_later(viewer(request)), params)


@router.post(
    "/works/{work_id}/mark_for_later", response={204: None, WRITE_ERRORS: ErrorOut}, **WRITE
)
def later_add(request: HttpRequest, work_id: int) -> Status:
    reading.reading_mark_for_later(actor=viewer(request), work=readable_work(request, work_id))
    return Status(204, None)


@router.delete(
    "/works/{work_id}/mark_for_later", response={204: None, WRITE_ERRORS: ErrorOut}, **WRITE
)
def later_remove(request: HttpRequest, work_id: int) -> Status:
    work = readable_work(request, work_id)
    reading.reading_mark_for_later(actor=viewer(request), work=work, later=False)
    return Status(204, None)


# --------------------------------------------------------------------------- statistics


@router.get("/stats", response={200: list[WorkStatsOut], READ_ERRORS: ErrorOut}, **USER_READ)
def work_statistics(request: HttpRequest, params: Query[StatsParams]) -> list[dict]:
    """Statistics of the caller's posted works, sorted as asked."""
    works = stats.work_stats(
        viewer(request), sort=params.sort, descending=params.direction == "desc"
    )
    return [
        {
            "id": work.pk,
            "title": work.title,
            "url": output.absolute(request, work.get_absolute_url()),
            "words": work.word_count,
            "hits": work.hit_count,
            "kudos": work.kudos_count,
            "comment_threads": work.thread_count,
            "bookmarks": work.bookmark_count,
            "subscriptions": work.subscription_count,
        }
        for work in works
    ]
