"""Bookmarks in the API: of works here and elsewhere, with notes, own tags, private, rec."""

from django.http import HttpRequest
from ninja import Query, Router, Status

from polis.accounts.access import access_user
from polis.api import output
from polis.api.auth import READ, WRITE, viewer
from polis.api.engagement.common import refusals
from polis.api.engagement.schemas import (
    BookmarkCreatedOut,
    BookmarkIn,
    BookmarkOut,
    BookmarkPageOut,
    ExternalBookmarkIn,
    UserBookmarkParams,
)
from polis.api.output import page_of
from polis.api.schemas import READ_ERRORS, WRITE_ERRORS, ErrorOut, PageParams
from polis.api.works import readable_work
from polis.engagement import bookmarks as actions
from polis.engagement.access import access_bookmark_for_edit, access_bookmark_for_view
from polis.engagement.models import Bookmark

router = Router(tags=["bookmarks"])


def bookmark_out(request: HttpRequest, bookmark: Bookmark) -> dict:
    """Expects with_bookmark_display's joins."""
    external = bookmark.external
    return {
        "id": bookmark.pk,
        "url": output.absolute(request, bookmark.get_absolute_url()),
        "bookmarker": str(bookmark.pseud) if bookmark.pseud_id else bookmark.user.username,
        "work": output.work_summary(request, bookmark.work) if bookmark.work_id else None,
        "external": (
            {
                "url": external.url,
                "title": external.title,
                "creator": external.creator,
                "fandom": external.fandom,
                "rating": external.rating,
            }
            if external
            else None
        ),
        "deleted": bookmark.work_deleted,
        "notes": bookmark.notes,
        "tags": [tag.name for tag in bookmark.tags.all()],
        "private": bookmark.private,
        "rec": bookmark.rec,
        "created_at": bookmark.created_at,
    }


def _with_viewer_counts(request: HttpRequest, bookmarks: list[Bookmark]) -> list[Bookmark]:
    """The bookmarked works' counts as the caller sees them (see output.viewer_counts)."""
    output.viewer_counts(request, [b.work for b in bookmarks if b.work_id is not None])
    return bookmarks


def _reloaded(request: HttpRequest, bookmark: Bookmark, **extra) -> dict:
    query = actions.with_bookmark_display(Bookmark.objects.filter(pk=bookmark.pk))
    [bookmark] = _with_viewer_counts(request, [query.get()])
    return {**bookmark_out(request, bookmark), **extra}


def _listing(request: HttpRequest, bookmarks, params: PageParams) -> dict:
    count, items = page_of(bookmarks, params.page, params.per_page)
    _with_viewer_counts(request, items)
    return {
        "count": count,
        "page": params.page,
        "per_page": params.per_page,
        "results": [bookmark_out(request, bookmark) for bookmark in items],
    }


@router.post(
    "/works/{work_id}/bookmarks",
    response={200: BookmarkCreatedOut, 201: BookmarkCreatedOut, WRITE_ERRORS: ErrorOut},
    **WRITE,
)
def work_bookmark_create(request: HttpRequest, work_id: int, payload: BookmarkIn) -> Status:
    """Bookmark a work; once per reader (a repeat answers 200 with the existing bookmark)."""
    actor = viewer(request)
    work = readable_work(request, work_id)
    bookmark, created = refusals(
        actions.bookmark_create, actor=actor, work=work, **payload.model_dump()
    )
    return Status(201 if created else 200, _reloaded(request, bookmark, created=created))


@router.post(
    "/bookmarks",
    response={200: BookmarkCreatedOut, 201: BookmarkCreatedOut, WRITE_ERRORS: ErrorOut},
    **WRITE,
)
def external_bookmark_create(request: HttpRequest, payload: ExternalBookmarkIn) -> Status:
    """Bookmark a work on another site by its URL, title, creator, fandom and rating."""
    actor = viewer(request)
    values = payload.model_dump()
    external = refusals(
        actions.external_work_find_or_create,
        actor=actor,
        **{key: values.pop(key) for key in ("url", "title", "creator", "fandom", "rating")},
    )
    bookmark, created = refusals(actions.bookmark_create, actor=actor, external=external, **values)
    return Status(201 if created else 200, _reloaded(request, bookmark, created=created))


@router.get("/bookmarks/{bookmark_id}", response={200: BookmarkOut, READ_ERRORS: ErrorOut}, **READ)
def bookmark_show(request: HttpRequest, bookmark_id: int) -> dict:
    return _reloaded(request, access_bookmark_for_view(viewer(request), bookmark_id))


@router.patch(
    "/bookmarks/{bookmark_id}", response={200: BookmarkOut, WRITE_ERRORS: ErrorOut}, **WRITE
)
def bookmark_update(request: HttpRequest, bookmark_id: int, payload: BookmarkIn) -> dict:
    actor = viewer(request)
    bookmark = access_bookmark_for_edit(actor, bookmark_id)
    changes = {
        "notes": bookmark.notes,
        "tags": [tag.name for tag in bookmark.tags.all()],
        "private": bookmark.private,
        "rec": bookmark.rec,
        **payload.model_dump(exclude_unset=True),
    }
    refusals(actions.bookmark_update, actor=actor, bookmark=bookmark, **changes)
    return _reloaded(request, bookmark)


@router.delete("/bookmarks/{bookmark_id}", response={204: None, WRITE_ERRORS: ErrorOut}, **WRITE)
def bookmark_delete(request: HttpRequest, bookmark_id: int) -> Status:
    actor = viewer(request)
    actions.bookmark_delete(actor=actor, bookmark=access_bookmark_for_edit(actor, bookmark_id))
    return Status(204, None)


@router.get(
    "/works/{work_id}/bookmarks", response={200: BookmarkPageOut, READ_ERRORS: ErrorOut}, **READ
)
def work_bookmarks(request: HttpRequest, work_id: int, params: Query[PageParams]) -> dict:
    """Public bookmarks of a work (without those of users the caller muted)."""
    work = readable_work(request, work_id)
    return _listing(request, actions.bookmarks_of_work(viewer(request), work), params)


@router.get(
    "/users/{username}/bookmarks", response={200: BookmarkPageOut, READ_ERRORS: ErrorOut}, **READ
)
def user_bookmarks(request: HttpRequest, username: str, params: Query[UserBookmarkParams]) -> dict:
    """A user's bookmarks the caller may see (private ones only for their owner); `tag` filters."""
    user = access_user(username)
    bookmarks = actions.bookmarks_of_user(viewer(request), user, tag=params.tag)
    return _listing(request, bookmarks, params)
