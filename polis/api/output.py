"""Model → response dicts, with absolute URLs; shared by the works, tags and users modules."""

from collections.abc import Callable, Iterable

from django.db.models import QuerySet
from django.http import HttpRequest

from polis.accounts.models import Pseud, User
from polis.api.auth import viewer
from polis.core import pagination
from polis.search.hooks import adjust_counts
from polis.tags.models import Tag, TagType
from polis.works.models import TAG_FIELDS, Chapter, Work, tags_of_type
from polis.works.visibility import byline_pseuds


def absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def _tags(work: Work) -> dict:
    tags = {
        field: [t.name for t in tags_of_type(work, tag_type)]
        for tag_type, field in TAG_FIELDS.items()
    }
    ratings = tags.pop("rating")
    return {"rating": ratings[0] if ratings else None, **tags}


def _creator(request: HttpRequest, pseud: Pseud) -> dict:
    return {
        "pseud": pseud.name,
        "username": pseud.user.username,
        "url": absolute(request, pseud.get_absolute_url()),
    }


def viewer_counts(request: HttpRequest, works: Iterable[Work]) -> list[Work]:
    """These works with the comment and bookmark counts the caller sees, as every page shows
    them: what users the caller muted left is not counted (engagement registers this, see
    polis.search.hooks). It lowers the loaded objects' counts, so call it once per object;
    works from `work_search` already had it. Rows sharing one loaded work (a work's
    bookmarks) lower it once."""
    works = list(works)
    unique = list({id(work): work for work in works}.values())
    adjust_counts(viewer(request), unique)
    return works


def work_summaries(request: HttpRequest, works: Iterable[Work]) -> list[dict]:
    """`work_summary` of each work, with the counts the caller sees (viewer_counts)."""
    return [work_summary(request, work) for work in viewer_counts(request, works)]


def work_summary(request: HttpRequest, work: Work) -> dict:
    """A blurb's worth; expects taggings and creatorships prefetched (with_display_data).
    The counts are the work's loaded ones: pass a listing through `viewer_counts` first."""
    return {
        "id": work.pk,
        "title": work.title,
        "url": absolute(request, work.get_absolute_url()),
        "creators": [_creator(request, pseud) for pseud in byline_pseuds(work)],
        "tags": _tags(work),
        "summary": work.summary,
        "language": work.language,
        "restricted": work.restricted,
        "complete": work.complete,
        "expected_chapters": work.expected_chapters,
        "draft": not work.posted,
        "stats": {
            "words": work.word_count,
            "chapters": work.chapter_total_display,
            "kudos": work.kudos_count,
            "hits": work.hit_count,
            "comments": work.comment_count,
            "bookmarks": work.bookmark_count,
        },
        "published_at": work.published_at,
        "revised_at": work.revised_at,
    }


def chapter_brief(request: HttpRequest, chapter: Chapter) -> dict:
    return {
        "id": chapter.pk,
        "position": chapter.shown_number,
        "title": chapter.title,
        "url": absolute(request, chapter.get_absolute_url()),
        "word_count": chapter.word_count,
        "published_at": chapter.published_at,
        "draft": not chapter.posted,
    }


def chapter_detail(request: HttpRequest, chapter: Chapter) -> dict:
    return {
        **chapter_brief(request, chapter),
        "work_id": chapter.work_id,
        "summary": chapter.summary,
        "notes": chapter.notes,
        "end_notes": chapter.end_notes,
        "content": chapter.content,
    }


def work_detail(request: HttpRequest, work: Work, chapters: list[Chapter]) -> dict:
    return {
        **work_summary(request, work),
        "notes": work.notes,
        "end_notes": work.end_notes,
        "chapters": [chapter_brief(request, chapter) for chapter in chapters],
    }


def page_of(items, page: int, per_page: int) -> tuple[int, list]:
    """The count and one page of `items` (the one paginator, `polis.core.pagination`); a page
    past the end is empty, not an error."""
    found = pagination.page_of(items, page, per_page=per_page)
    return found.paginator.count, list(found.object_list)


def paged(items, *, page: int, per_page: int, render: Callable[[list], list]) -> dict:
    """One page of an ordered queryset as every API listing answers it; `render` turns that
    page's rows into its results. (Lists of works go through `search_response` instead.)"""
    count, rows = page_of(items, page, per_page)
    return {"count": count, "page": page, "per_page": per_page, "results": render(rows)}


def tag_detail(request: HttpRequest, tag: Tag) -> dict:
    # .all() so that a listing's prefetch_related("synonyms") is used.
    synonyms = sorted(tag.synonyms.all(), key=lambda t: t.name) if tag.canonical else []
    return {
        "name": tag.name,
        "type": TagType(tag.type).value,
        "canonical": tag.canonical,
        "synonym_of": tag.merger.name if tag.merger_id else None,
        "synonyms": [synonym.name for synonym in synonyms],
        "url": absolute(request, tag.get_absolute_url()),
        "works_url": absolute(request, tag.get_works_url()),
    }


def user_detail(request: HttpRequest, user: User, pseuds: QuerySet[Pseud]) -> dict:
    return {
        "id": user.pk,
        "username": user.username,
        "joined": user.date_joined.date(),
        "pseuds": [
            {
                "name": pseud.name,
                "default": pseud.is_default,
                "url": absolute(request, pseud.get_absolute_url()),
            }
            for pseud in pseuds
        ],
        "url": absolute(request, user.get_absolute_url()),
    }
