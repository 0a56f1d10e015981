"""What a report or a moderation action is about: one (type, id) resolved through its own
app's access rules, with its label, its page, the accounts behind it and its hidden state.

Reporting asks the target's own `access_*` helper, so nobody reports (or learns of) what
they may not see; staff resolve targets with the same helpers, which let staff see hidden
things.
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from polis.accounts.access import access_user
from polis.accounts.models import User
from polis.collections.access import access_collection
from polis.collections.models import Collection, Membership
from polis.engagement.access import access_bookmark_for_view, access_comment_for_view
from polis.moderation.models import TargetType
from polis.tags.models import Tag
from polis.works.access import RestrictedWork, access_chapter_for_view, access_work_for_view
from polis.works.models import Chapter, Creatorship
from polis.works.series import access_series_for_view

Viewer = User | AnonymousUser

# Targets staff can hide (a chapter is hidden with its work; tags and users are not hidden:
# tags are wrangled, accounts are sanctioned).
HIDEABLE = {
    TargetType.WORK,
    TargetType.SERIES,
    TargetType.BOOKMARK,
    TargetType.COMMENT,
    TargetType.COLLECTION,
}


@dataclass
class Target:
    type: str
    id: int
    obj: object
    label: str
    url: str
    owners: list[User] = field(default_factory=list)

    @property
    def hidden(self) -> bool:
        if self.type == TargetType.COMMENT:
            return self.obj.staff_hidden
        return bool(getattr(self.obj, "hidden", False))

    @property
    def hideable(self) -> bool:
        return self.type in HIDEABLE

    @property
    def key(self) -> tuple[str, int]:
        return (self.type, self.id)


def _work_owners(work_id: int) -> list[User]:
    ids = Creatorship.objects.filter(work_id=work_id, accepted=True).values("pseud__user_id")
    return list(User.objects.filter(pk__in=ids).order_by("pk"))


def _work(viewer: Viewer, target_id: int) -> Target:
    work = access_work_for_view(viewer, target_id)
    return Target(
        TargetType.WORK, work.pk, work, work.title, work.get_absolute_url(), _work_owners(work.pk)
    )


def _chapter(viewer: Viewer, target_id: int) -> Target:
    chapter = Chapter.objects.filter(pk=target_id).first()
    if chapter is None:
        raise Http404("No such chapter.")
    work = access_work_for_view(viewer, chapter.work_id)
    chapter = access_chapter_for_view(viewer, work, chapter.pk)
    url = f"{work.get_absolute_url()}/chapters/{chapter.pk}"
    return Target(
        TargetType.CHAPTER,
        chapter.pk,
        chapter,
        f"Chapter {chapter.number} of {work.title}",
        url,
        _work_owners(work.pk),
    )


def _comment(viewer: Viewer, target_id: int) -> Target:
    comment = access_comment_for_view(viewer, target_id)
    if comment.deleted:
        raise Http404("No such comment.")
    owners = [comment.user] if comment.user_id else []
    return Target(
        TargetType.COMMENT,
        comment.pk,
        comment,
        f"Comment by {comment.author_name} on {comment.work.title}",
        comment.get_absolute_url(),
        owners,
    )


def _bookmark(viewer: Viewer, target_id: int) -> Target:
    bookmark = access_bookmark_for_view(viewer, target_id)
    return Target(
        TargetType.BOOKMARK,
        bookmark.pk,
        bookmark,
        f"Bookmark by {bookmark.user.username}",
        bookmark.get_absolute_url(),
        [bookmark.user],
    )


def _series(viewer: Viewer, target_id: int) -> Target:
    series = access_series_for_view(viewer, target_id)
    owners = list(User.objects.filter(pseuds__series=series).distinct().order_by("pk"))
    return Target(
        TargetType.SERIES, series.pk, series, series.title, series.get_absolute_url(), owners
    )


def _collection(viewer: Viewer, target_id: int) -> Target:
    name = Collection.objects.filter(pk=target_id).values_list("name", flat=True).first()
    if name is None:
        raise Http404("No such collection.")
    collection = access_collection(viewer, name)
    owners = [
        m.user
        for m in Membership.objects.filter(collection=collection, role="owner")
        .select_related("user")
        .order_by("user_id")
    ]
    return Target(
        TargetType.COLLECTION,
        collection.pk,
        collection,
        collection.title,
        collection.get_absolute_url(),
        owners,
    )


def _tag(viewer: Viewer, target_id: int) -> Target:
    tag = Tag.objects.filter(pk=target_id).first()
    if tag is None:
        raise Http404("No such tag.")
    return Target(TargetType.TAG, tag.pk, tag, tag.name, tag.get_absolute_url(), [])


def _user(viewer: Viewer, target_id: int) -> Target:
    username = User.objects.filter(pk=target_id).values_list("username", flat=True).first()
    if username is None:
        raise Http404("No such user.")
    user = access_user(username)
    return Target(TargetType.USER, user.pk, user, user.username, f"/users/{user.username}", [user])


_RESOLVERS = {
    TargetType.WORK: _work,
    TargetType.CHAPTER: _chapter,
    TargetType.COMMENT: _comment,
    TargetType.BOOKMARK: _bookmark,
    TargetType.SERIES: _series,
    TargetType.COLLECTION: _collection,
    TargetType.TAG: _tag,
    TargetType.USER: _user,
}


def access_target(viewer: Viewer, target_type: str, target_id: int) -> Target:
    """The target if this viewer may see it; Http404 otherwise (also for unknown types and
    a guest asking for a restricted work: a report needs the thing itself)."""
    resolver = _RESOLVERS.get(target_type)
    if resolver is None:
        raise Http404("No such page.")
    try:
        return resolver(viewer, int(target_id))
    except RestrictedWork:
        raise Http404("No such page.") from None


def find_target(target_type: str, target_id: int) -> Target | None:
    """For staff lists: the target as a superuser would see it, or None if it is gone."""
    seer = User(is_staff=True, is_superuser=True)
    seer.pk = 0
    try:
        return access_target(seer, target_type, target_id)
    except Http404:
        return None
