"""The account export ZIP, exactly as docs/export-format.md describes it (format version 1).

The ZIP is written straight to a file, one member at a time; rows are read in batches and
JSON lists are written item by item, so memory stays bounded by one batch (and one work's
HTML and EPUB), however much the account made.
"""

import json
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from polis.accounts.models import User
from polis.accounts.reading import stored_values
from polis.collections.models import CollectionItem, Membership, Prompt, Signup
from polis.downloads.epub import write_epub
from polis.downloads.html import write_html
from polis.downloads.preface import book_for, site_url
from polis.engagement.models import Bookmark, Comment, Kudos, Reading, Subscription
from polis.tags.models import TagType
from polis.works.models import (
    Chapter,
    Creatorship,
    Series,
    SeriesWork,
    Work,
    WorkSkin,
    tags_of_type,
)

FORMAT = "polis-export"
VERSION = 1
BATCH = 100


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _url(path: str) -> str:
    return f"{site_url()}{path}"


def _chunks(queryset: QuerySet, size: int = BATCH) -> Iterator[list]:
    """Rows in primary-key batches (keyset pagination: no OFFSET, no unbounded list)."""
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk")[:size])
        if not rows:
            return
        yield rows
        last = rows[-1].pk


def _write_json(archive: zipfile.ZipFile, name: str, value) -> None:
    archive.writestr(name, json.dumps(value, ensure_ascii=False, indent=2))


def _write_json_list(archive: zipfile.ZipFile, name: str, items: Iterable[dict]) -> None:
    """A JSON array written one item at a time."""
    with archive.open(name, "w") as out:
        out.write(b"[")
        first = True
        for item in items:
            out.write(
                (b"\n  " if first else b",\n  ") + json.dumps(item, ensure_ascii=False).encode()
            )
            first = False
        out.write(b"\n]" if not first else b"]")


# --- works ------------------------------------------------------------------------------


def work_ids_of(user: User) -> list[int]:
    """Every work the account is an accepted creator of, drafts included (ids only)."""
    return sorted(
        set(
            Creatorship.objects.filter(pseud__user=user, accepted=True).values_list(
                "work_id", flat=True
            )
        )
    )


def _works_batch(ids: list[int]) -> list[Work]:
    return list(
        Work.objects.filter(pk__in=ids)
        .order_by("pk")
        .prefetch_related(
            "taggings__tag",
            Prefetch(
                "creatorships",
                queryset=Creatorship.objects.filter(accepted=True).select_related("pseud"),
            ),
            Prefetch("chapters", queryset=Chapter.objects.order_by("position", "pk")),
            Prefetch("series_entries", queryset=SeriesWork.objects.select_related("series")),
            Prefetch(
                "collection_items",
                queryset=CollectionItem.objects.select_related("collection").order_by(
                    "collection__name"
                ),
            ),
        )
    )


def work_json(work: Work) -> dict:
    """`works/<id>.json` (every key always present), from a work loaded by `_works_batch`."""

    def names(tag_type: str) -> list[str]:
        return [tag.name for tag in tags_of_type(work, tag_type)]

    return {
        "id": work.pk,
        "url": _url(work.get_absolute_url()),
        "title": work.title,
        "pseuds": [c.pseud.name for c in work.creatorships.all()],
        "rating": work.rating,
        "warnings": names(TagType.WARNING),
        "categories": names(TagType.CATEGORY),
        "fandoms": names(TagType.FANDOM),
        "relationships": names(TagType.RELATIONSHIP),
        "characters": names(TagType.CHARACTER),
        "freeforms": names(TagType.FREEFORM),
        "language": work.language,
        "summary": work.summary,
        "notes": work.notes,
        "end_notes": work.end_notes,
        "restricted": work.restricted,
        "complete": work.complete,
        "expected_chapters": work.expected_chapters,
        "posted": work.posted,
        "published_at": _iso(work.published_at),
        "revised_at": _iso(work.revised_at),
        "series": [
            {"title": entry.series.title, "position": entry.position}
            for entry in sorted(work.series_entries.all(), key=lambda e: (e.series_id, e.pk))
        ],
        "collections": [item.collection.name for item in work.collection_items.all()],
        "chapters": [
            {
                "position": number,
                "title": chapter.title,
                "summary": chapter.summary,
                "notes": chapter.notes,
                "end_notes": chapter.end_notes,
                "text": chapter.content,
                "posted": chapter.posted,
                "published_at": _iso(chapter.published_at),
            }
            for number, chapter in enumerate(work.chapters.all(), start=1)
        ],
    }


def _write_works(archive: zipfile.ZipFile, ids: list[int]) -> list[str]:
    listed = []
    for start in range(0, len(ids), BATCH):
        for work in _works_batch(ids[start : start + BATCH]):
            name = f"works/{work.pk}"
            _write_json(archive, f"{name}.json", work_json(work))
            book = book_for(work, drafts=True)
            archive.writestr(f"{name}.html", write_html(book))
            # An EPUB is a ZIP already: stored, not compressed twice.
            archive.writestr(f"{name}.epub", write_epub(book), compress_type=zipfile.ZIP_STORED)
            listed.append(f"{name}.json")
    return listed


# --- everything else --------------------------------------------------------------------


def account_json(user: User) -> dict:
    return {
        "username": user.username,
        "email": user.email,
        "date_joined": _iso(user.date_joined),
        "pseuds": [
            {"name": p.name, "description": p.description, "is_default": p.is_default}
            for p in user.pseuds.order_by("-is_default", "name")
        ],
        "preferences": {
            "view_adult": user.view_adult,
            "history_enabled": user.history_enabled,
            "notification_emails": user.notification_emails,
            "similar_works_enabled": user.similar_works_enabled,
            "reading": stored_values(user),
        },
    }


def _bookmarks(user: User) -> Iterator[dict]:
    rows = Bookmark.objects.filter(user=user).select_related("pseud", "work", "external")
    for batch in _chunks(rows.prefetch_related("tags")):
        for b in batch:
            yield {
                "id": b.pk,
                "pseud": b.pseud.name if b.pseud_id else None,
                "work_id": b.work_id,
                "work_title": b.work.title if b.work_id else None,
                "external_url": b.external.url if b.external_id else None,
                "external_title": b.external.title if b.external_id else None,
                "external_creator": b.external.creator if b.external_id else None,
                "external_fandom": b.external.fandom if b.external_id else None,
                "notes": b.notes,
                "tags": [tag.name for tag in b.tags.all()],
                "private": b.private,
                "rec": b.rec,
                "created_at": _iso(b.created_at),
                "updated_at": _iso(b.updated_at),
            }


def _comments(user: User) -> Iterator[dict]:
    rows = Comment.objects.filter(user=user, deleted=False).select_related("pseud")
    for batch in _chunks(rows):
        for c in batch:
            yield {
                "id": c.pk,
                "work_id": c.work_id,
                "chapter_id": c.chapter_id,
                "parent_id": c.parent_id,
                "pseud": c.pseud.name if c.pseud_id else None,
                "content": c.content,
                "created_at": _iso(c.created_at),
                "edited_at": _iso(c.edited_at),
            }


def _kudos(user: User) -> Iterator[dict]:
    for batch in _chunks(Kudos.objects.filter(user=user).select_related("work")):
        for k in batch:
            yield {
                "work_id": k.work_id,
                "work_title": k.work.title,
                "chapter_id": k.chapter_id,
                "created_at": _iso(k.created_at),
            }


def _subscriptions(user: User) -> Iterator[dict]:
    rows = Subscription.objects.filter(user=user).select_related("target_user", "work", "series")
    for batch in _chunks(rows):
        for s in batch:
            yield {
                "type": s.type,
                "username": s.target_user.username if s.target_user_id else None,
                "work_id": s.work_id,
                "series_id": s.series_id,
                "title": s.work.title if s.work_id else (s.series.title if s.series_id else None),
                "created_at": _iso(s.created_at),
            }


def _history(user: User) -> Iterator[dict]:
    for batch in _chunks(Reading.objects.filter(user=user).select_related("work")):
        for r in batch:
            yield {
                "work_id": r.work_id,
                "work_title": r.work.title,
                "last_viewed_at": _iso(r.last_viewed_at),
                "view_count": r.view_count,
                "marked_for_later": r.later,
            }


def _series(user: User) -> Iterator[dict]:
    rows = Series.objects.filter(pseuds__user=user).distinct()
    for batch in _chunks(rows.prefetch_related("entries")):
        for s in batch:
            yield {
                "id": s.pk,
                "title": s.title,
                "summary": s.summary,
                "notes": s.notes,
                "complete": s.complete,
                "works": [{"work_id": e.work_id, "position": e.position} for e in s.entries.all()],
            }


def _collections(user: User) -> Iterator[dict]:
    rows = Membership.objects.filter(user=user).select_related("collection")
    for batch in _chunks(rows):
        for m in batch:
            yield {"name": m.collection.name, "title": m.collection.title, "role": m.role}


def _signups(user: User) -> Iterator[dict]:
    rows = Signup.objects.filter(user=user).select_related("challenge__collection", "pseud")
    prompts = Prompt.objects.order_by("kind", "position").prefetch_related("tags")
    for batch in _chunks(rows.prefetch_related(Prefetch("prompts", queryset=prompts))):
        for s in batch:
            yield {
                "collection": s.challenge.collection.name,
                "pseud": s.pseud.name,
                "created_at": _iso(s.created_at),
                "prompts": [
                    {
                        "kind": p.kind,
                        "position": p.position,
                        "title": p.title,
                        "description": p.description,
                        "tags": sorted(tag.name for tag in p.tags.all()),
                        "anonymous": p.anonymous,
                    }
                    for p in s.prompts.all()
                ],
            }


def _work_skins(user: User) -> Iterator[dict]:
    for skin in WorkSkin.objects.filter(user=user).order_by("pk"):
        yield {
            "title": skin.title,
            "description": skin.description,
            "css": skin.css,
            "works": list(
                skin.works.filter(pseuds__user=user)
                .distinct()
                .values_list("pk", flat=True)
                .order_by("pk")
            ),
        }


SECTIONS = {
    "bookmarks.json": _bookmarks,
    "comments.json": _comments,
    "kudos.json": _kudos,
    "subscriptions.json": _subscriptions,
    "history.json": _history,
    "series.json": _series,
    "collections.json": _collections,
    "signups.json": _signups,
    "work_skins.json": _work_skins,
}


def export_write(user: User, path: Path) -> int:
    """Write the account's export ZIP to `path`; its size in bytes."""
    exported_at = timezone.now()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        works = _write_works(archive, work_ids_of(user))
        _write_json(archive, "account.json", account_json(user))
        for name, rows in SECTIONS.items():
            _write_json_list(archive, name, rows(user))
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "site": site_url(),
            "username": user.username,
            "exported_at": exported_at.isoformat(),
            "works": works,
        }
        _write_json(archive, "manifest.json", manifest)
    return path.stat().st_size
