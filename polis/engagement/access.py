"""Who may see or change comments, bookmarks, notifications and subscriptions.

Missing and hidden look the same (404). Works are checked by polis.works.access first, so a
comment or bookmark on a draft or restricted work is as invisible as the work.
"""

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from polis.accounts.models import User
from polis.engagement.models import Bookmark, Comment, Notification, Subscription
from polis.engagement.notices import shown_notices
from polis.engagement.relations import is_moderator, muted_user_ids, work_creator_ids
from polis.works.access import access_work_for_view, visible_works
from polis.works.models import Work

Viewer = User | AnonymousUser


def comment_visible(viewer: Viewer, comment: Comment, *, privileged: bool) -> bool:
    """Whether the viewer may read this comment (a deleted one shows as a placeholder)."""
    if viewer.is_authenticated and comment.user_id == viewer.pk:
        return True
    if comment.staff_hidden and not is_moderator(viewer):
        return False  # hidden by staff: its author and staff only, not the work's creators
    if comment.user_id is not None and comment.user_id in muted_user_ids(viewer):
        return False  # muting hides even from a work's creators and admins
    if privileged:
        return True
    return comment.published and not comment.hidden


def is_privileged(viewer: Viewer, work: Work) -> bool:
    """Creators of the work and admins see and moderate every comment on it."""
    return viewer.is_authenticated and (is_moderator(viewer) or viewer.pk in work_creator_ids(work))


def access_comment_for_view(viewer: Viewer, comment_id: int) -> Comment:
    """The comment if the viewer may read it; Http404 otherwise (RestrictedWork passes up)."""
    comment = Comment.objects.select_related("work").filter(pk=comment_id).first()
    if comment is None:
        raise Http404("No such comment.")
    work = access_work_for_view(viewer, comment.work_id)
    if not work.posted:
        raise Http404("No such comment.")
    if not comment_visible(viewer, comment, privileged=is_privileged(viewer, work)):
        raise Http404("No such comment.")
    return comment


def access_comment_for_edit(viewer: Viewer, comment_id: int) -> Comment:
    """The viewer's own comment."""
    comment = access_comment_for_view(viewer, comment_id)
    if not viewer.is_authenticated or comment.user_id != viewer.pk or comment.deleted:
        raise Http404("No such comment.")
    return comment


def access_comment_for_delete(viewer: Viewer, comment_id: int) -> Comment:
    """The viewer's own comment, or any comment on the viewer's work, or any for an admin."""
    comment = access_comment_for_view(viewer, comment_id)
    own = viewer.is_authenticated and comment.user_id == viewer.pk
    if comment.deleted or not (own or is_privileged(viewer, comment.work)):
        raise Http404("No such comment.")
    return comment


def access_comment_for_moderation(viewer: Viewer, comment_id: int) -> Comment:
    """A comment on one of the viewer's works (or any, for an admin): freeze, hide, approve."""
    comment = access_comment_for_view(viewer, comment_id)
    if not is_privileged(viewer, comment.work):
        raise Http404("No such comment.")
    return comment


def bookmark_visible(viewer: Viewer, bookmark: Bookmark) -> bool:
    own = viewer.is_authenticated and bookmark.user_id == viewer.pk
    if own:
        return True
    if bookmark.private or bookmark.user_id in muted_user_ids(viewer):
        return False
    if bookmark.hidden and not is_moderator(viewer):
        return False  # hidden by staff: its owner and staff only
    if bookmark.work_id is None:
        return True  # off-site, or its work was deleted ("This has been deleted")
    return visible_works(viewer).filter(pk=bookmark.work_id).exists()


def access_bookmark_for_view(viewer: Viewer, bookmark_id: int) -> Bookmark:
    bookmark = Bookmark.objects.filter(pk=bookmark_id).first()
    if bookmark is None or not bookmark_visible(viewer, bookmark):
        raise Http404("No such bookmark.")
    return bookmark


def access_bookmark_for_edit(viewer: Viewer, bookmark_id: int) -> Bookmark:
    bookmark = Bookmark.objects.filter(pk=bookmark_id).first()
    if bookmark is None or not viewer.is_authenticated or bookmark.user_id != viewer.pk:
        raise Http404("No such bookmark.")
    return bookmark


def access_notification(viewer: Viewer, notification_id: int) -> Notification:
    if not viewer.is_authenticated:
        raise Http404("No such notification.")
    # A notice about a work the reader may no longer see is gone to them, as in the inbox.
    note = shown_notices(viewer).filter(pk=notification_id).first()
    if note is None:
        raise Http404("No such notification.")
    return note


def access_subscription(viewer: Viewer, subscription_id: int) -> Subscription:
    if not viewer.is_authenticated:
        raise Http404("No such subscription.")
    found = Subscription.objects.filter(pk=subscription_id, user=viewer).first()
    if found is None:
        raise Http404("No such subscription.")
    return found
