"""Every write to works and chapters: validated, in one transaction, counters kept exact."""

import dataclasses
import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from polis.accounts.models import Pseud, User
from polis.accounts.standing import require_participation
from polis.core.text import to_html
from polis.core.wordcount import count_words
from polis.search.indexing import index_works
from polis.tags.actions import fixed_tags, tags_find_or_create
from polis.tags.filters import filter_sets_recompute
from polis.tags.models import TagType
from polis.works.events import chapter_deleted, chapter_posted, work_posted
from polis.works.hooks import posting_fields_apply, posting_fields_posted
from polis.works.limits import check_chapters_per_post
from polis.works.models import (
    TAG_FIELDS,
    Chapter,
    Creatorship,
    Tagging,
    Work,
    WorkSteward,
    tags_of_type,
)


@dataclass(kw_only=True)
class ChapterInput:
    """What a writer gives for one chapter (text in `text_format`)."""

    text: str
    text_format: str = "html"
    title: str = ""
    summary: str = ""
    notes: str = ""
    end_notes: str = ""


@dataclass(kw_only=True)
class WorkInput:
    """What a writer gives for a work, named like the fields of the posting form."""

    title: str
    rating: str
    warnings: list[str]
    fandoms: list[str]
    language: str = "en"
    categories: list[str] = field(default_factory=list)
    relationships: list[str] = field(default_factory=list)
    characters: list[str] = field(default_factory=list)
    freeforms: list[str] = field(default_factory=list)
    summary: str = ""
    notes: str = ""
    end_notes: str = ""
    restricted: bool = False
    complete: bool = False
    expected_chapters: int | None = None
    published_at: datetime.date | None = None

    @classmethod
    def of(cls, work: Work) -> "WorkInput":
        """The work as it is now, to change a few fields of (the admin does)."""
        names = {
            field_name: [tag.name for tag in tags_of_type(work, tag_type)]
            for tag_type, field_name in TAG_FIELDS.items()
            if field_name != "rating"
        }
        return cls(
            title=work.title,
            rating=work.rating,
            language=work.language,
            summary=work.summary,
            notes=work.notes,
            end_notes=work.end_notes,
            restricted=work.restricted,
            complete=work.complete,
            expected_chapters=work.expected_chapters,
            published_at=work.published_at,
            **names,
        )


def _html_field(value: str, field: str) -> str:
    """Summaries and notes: HTML as typed, line breaks kept as AO3 does."""
    return to_html(value, "html", allow_class=False, field=field) if value.strip() else ""


def _notes_field(value: str, field: str) -> str:
    return to_html(value, "html", allow_class=True, field=field) if value.strip() else ""


def _set_tags(work: Work, data: WorkInput) -> None:
    tags = []
    errors: dict[str, list[str]] = {}
    for field_name, tag_type, names, find in (
        ("rating", TagType.RATING, [data.rating], fixed_tags),
        ("warnings", TagType.WARNING, data.warnings, fixed_tags),
        ("categories", TagType.CATEGORY, data.categories, fixed_tags),
        ("fandoms", TagType.FANDOM, data.fandoms, tags_find_or_create),
        ("relationships", TagType.RELATIONSHIP, data.relationships, tags_find_or_create),
        ("characters", TagType.CHARACTER, data.characters, tags_find_or_create),
        ("freeforms", TagType.FREEFORM, data.freeforms, tags_find_or_create),
    ):
        try:
            tags += find(names=names, tag_type=tag_type)
        except ValidationError as error:
            errors[field_name] = error.messages
    if errors:
        raise ValidationError(errors)
    wanted = {tag.pk for tag in tags}
    Tagging.objects.filter(work=work).exclude(tag_id__in=wanted).delete()
    have = set(Tagging.objects.filter(work=work).values_list("tag_id", flat=True))
    Tagging.objects.bulk_create(
        [Tagging(work=work, tag_id=tag_id) for tag_id in wanted - have],
        ignore_conflicts=True,
    )


def _apply_work_fields(work: Work, data: WorkInput) -> None:
    if data.published_at and data.published_at > timezone.localdate():
        raise ValidationError({"published_at": "The publication date cannot be in the future."})
    work.title = data.title.strip()
    work.summary = _html_field(data.summary, "summary")
    work.notes = _notes_field(data.notes, "notes")
    work.end_notes = _notes_field(data.end_notes, "end_notes")
    work.rating = data.rating
    work.language = data.language
    work.restricted = data.restricted
    work.expected_chapters = data.expected_chapters
    if data.complete:
        work.expected_chapters = None  # settled by _recount from the posted chapters
    work.complete = data.complete
    if data.published_at:
        work.published_at = data.published_at


def _apply_chapter_fields(chapter: Chapter, data: ChapterInput) -> None:
    chapter.title = data.title.strip()
    # Named as on the chapter form (the API renames them to its own).
    chapter.summary = _html_field(data.summary, "chapter_summary")
    chapter.notes = _notes_field(data.notes, "chapter_notes")
    chapter.end_notes = _notes_field(data.end_notes, "chapter_end_notes")
    chapter.text_format = data.text_format
    chapter.source = data.text
    chapter.content = to_html(data.text, data.text_format, field="text")
    if not chapter.content.strip():
        raise ValidationError({"text": "The text cannot be blank."})
    chapter.word_count = count_words(chapter.content)


def _recount(work: Work) -> None:
    """Keep the derived numbers (words, chapters, complete) equal to the chapters."""
    # A draft's numbers describe what posting it will publish: all its chapters.
    counted = work.chapters.filter(posted=True) if work.posted else work.chapters.all()
    work.chapter_count = counted.count()
    work.word_count = counted.aggregate(total=Sum("word_count"))["total"] or 0
    if work.complete:
        work.expected_chapters = max(work.chapter_count, 1)
    elif work.expected_chapters is not None and work.expected_chapters < work.chapter_count:
        work.expected_chapters = work.chapter_count
    work.complete = work.expected_chapters is not None and (
        work.chapter_count == work.expected_chapters
    )


def _renumber(work: Work) -> None:
    for position, chapter in enumerate(work.chapters.order_by("position", "pk"), start=1):
        if chapter.position != position:
            chapter.position = position
            chapter.save(update_fields=["position"])


# What actions write to a work row: never the counters (hits, kudos, comments, bookmarks),
# which other requests change concurrently with F() updates.
_WORK_FIELDS = [
    "title",
    "summary",
    "notes",
    "end_notes",
    "rating",
    "language",
    "restricted",
    "posted",
    "complete",
    "expected_chapters",
    "chapter_count",
    "word_count",
    "published_at",
    "revised_at",
    "scheduled_at",
    "updated_at",
]


def _save(work: Work) -> None:
    work.save(update_fields=_WORK_FIELDS)


def _touch(work: Work) -> None:
    work.revised_at = timezone.now()


@transaction.atomic
def work_create(
    *,
    actor: User,
    pseuds: list[Pseud],
    data: WorkInput,
    chapter: ChapterInput,
    co_creators: list[Pseud] | None = None,
    post: bool = False,
    extras: Mapping[str, list[str]] | None = None,
    more_chapters: Sequence[ChapterInput] = (),
) -> Work:
    """Create a work with its first chapter (and `more_chapters` after it), as a draft or
    posted at once, all or nothing.

    `extras` are the posting fields other apps register (collections, gifts; see
    `polis.works.hooks`); a refusal there undoes the whole post. A refusal of the first
    chapter is keyed as the posting form's fields (`text`), one of a later chapter by its
    place among all the chapters, counted from 0 as the API numbers them (`chapters[1].text`).
    """
    require_participation(actor)  # suspended and banned accounts post nothing
    if not pseuds or any(pseud.user_id != actor.pk for pseud in pseuds):
        raise ValidationError({"pseuds": "Choose at least one of your own pseuds."})
    check_chapters_per_post(1 + len(more_chapters))
    work = Work()
    _apply_work_fields(work, data)
    work.save()
    _set_tags(work, data)
    Creatorship.objects.bulk_create(
        [Creatorship(work=work, pseud=pseud, accepted=True) for pseud in pseuds]
    )
    _invite_co_creators(work=work, inviter=pseuds[0], co_creators=co_creators or [])
    first = Chapter(work=work, position=1, posted=False)
    _apply_chapter_fields(first, chapter)
    first.save()
    if extras:
        posting_fields_apply(actor=actor, work=work, values=extras)
    for index, later_data in enumerate(more_chapters, start=1):
        later = Chapter(work=work, position=index + 1, posted=False)
        try:
            _apply_chapter_fields(later, later_data)
        except ValidationError as error:
            raise _prefixed(error, f"chapters[{index}].") from None
        later.save()
    if post:
        _post(work)
        posting_fields_posted(actor=actor, work=work)
        work_posted(work)
    else:
        _recount(work)
        _save(work)
    _reindex(work, tags=True)
    return work


def _prefixed(error: ValidationError, prefix: str) -> ValidationError:
    if hasattr(error, "error_dict"):
        return ValidationError({f"{prefix}{name}": errors for name, errors in error})
    return ValidationError({prefix.rstrip("."): error.messages})


def _invite_co_creators(*, work: Work, inviter: Pseud, co_creators: list[Pseud]) -> None:
    present = set(work.creatorships.values_list("pseud_id", flat=True))
    Creatorship.objects.bulk_create(
        [
            Creatorship(work=work, pseud=pseud, accepted=False, invited_by=inviter)
            for pseud in co_creators
            if pseud.pk not in present
        ]
    )


def _post(work: Work) -> None:
    today = timezone.localdate()
    work.posted = True
    work.scheduled_at = None
    if work.published_at is None:
        work.published_at = today
    # A chapter scheduled for later stays a draft until its own time (polis.works.scheduling).
    for chapter in work.chapters.filter(posted=False).exclude(scheduled_at__gt=timezone.now()):
        chapter.posted = True
        chapter.scheduled_at = None
        chapter.published_at = work.published_at
        chapter.save(update_fields=["posted", "published_at", "scheduled_at"])
    _touch(work)
    if work.published_at < today:
        # Backdated: listings date and sort the work by its publication date, as AO3 does.
        work.revised_at = datetime.datetime.combine(
            work.published_at, datetime.time.min, tzinfo=timezone.get_current_timezone()
        )
    _recount(work)
    _save(work)


@transaction.atomic
def work_post(*, actor: User, work: Work) -> Work:
    """Post a draft: it becomes visible to readers, with its first chapter."""
    require_participation(actor)  # suspended and banned accounts post nothing
    if work.posted:
        return work
    _post(work)
    posting_fields_posted(actor=actor, work=work)
    _reindex(work)
    work_posted(work)
    return work


@transaction.atomic
def work_unpost(*, actor: User, work: Work) -> Work:
    """Take a posted work back to a draft (staff, from the admin): it leaves every listing,
    search, feed and count at once. Its chapters keep their own posted state and dates, so
    posting it again publishes what it had, and its drafts with it, as posting any draft does.
    """
    if not work.posted:
        return work
    work.posted = False
    _recount(work)
    _save(work)
    _reindex(work)
    return work


@transaction.atomic
def work_update(
    *,
    actor: User,
    work: Work,
    data: WorkInput,
    co_creators: list[Pseud] | None = None,
    pseuds: list[Pseud] | None = None,
    extras: Mapping[str, list[str]] | None = None,
    text: ChapterInput | None = None,
    post: bool = False,
) -> Work:
    """Change a work's preface, tags and settings; `pseuds` re-credits the actor's own pseuds.

    `extras` as for `work_create`: only the fields given change. `text` replaces the text of
    a one-chapter work, whose text the work's own form edits; the chapter's title, summary
    and notes stay as they are. `post` then posts a draft, all in one transaction.
    """
    require_participation(actor)  # suspended and banned accounts post nothing
    posted_chapters = work.chapters.filter(posted=True).count()
    if data.expected_chapters is not None and data.expected_chapters < posted_chapters:
        raise ValidationError(
            {
                "expected_chapters": f"This work already has {posted_chapters} posted chapters; "
                f"expect at least {posted_chapters}, or leave it empty."
            }
        )
    _apply_work_fields(work, data)
    _set_tags(work, data)
    if pseuds is not None:
        _set_own_pseuds(actor=actor, work=work, pseuds=pseuds)
    if co_creators:
        _invite_co_creators(
            work=work,
            inviter=work.creatorships.filter(pseud__user=actor, accepted=True).first().pseud,
            co_creators=co_creators,
        )
    if extras:
        posting_fields_apply(actor=actor, work=work, values=extras)
    if text is not None:
        _replace_only_text(work, text)
    _recount(work)
    if work.posted:
        _touch(work)
    _save(work)
    _reindex(work, tags=True)
    if post:
        work_post(actor=actor, work=work)
    return work


def _replace_only_text(work: Work, text: ChapterInput) -> None:
    chapters = list(work.chapters.all()[:2])
    if len(chapters) != 1:
        raise ValidationError(
            {"text": "This work has several chapters: edit each chapter's text on its own."}
        )
    (chapter,) = chapters
    _apply_chapter_fields(
        chapter,
        dataclasses.replace(
            text,
            title=chapter.title,
            summary=chapter.summary,
            notes=chapter.notes,
            end_notes=chapter.end_notes,
        ),
    )
    chapter.save()


def _set_own_pseuds(*, actor: User, work: Work, pseuds: list[Pseud]) -> None:
    if not pseuds or any(pseud.user_id != actor.pk for pseud in pseuds):
        raise ValidationError({"pseuds": "Choose at least one of your own pseuds."})
    wanted = {pseud.pk for pseud in pseuds}
    work.creatorships.filter(pseud__user=actor).exclude(pseud_id__in=wanted).delete()
    present = set(work.creatorships.values_list("pseud_id", flat=True))
    Creatorship.objects.bulk_create(
        [Creatorship(work=work, pseud_id=pk, accepted=True) for pk in wanted - present]
    )


@transaction.atomic
def work_delete(*, actor: User, work: Work) -> None:
    """Delete a work: it leaves the index (and the change log every cache and accelerator
    follows); bookmarks of it stay, as "deleted" (`Bookmark.work` is set to null)."""
    work_id = work.pk
    work.delete()
    index_works([work_id])


def _reindex(work: Work, *, tags: bool = False) -> None:
    """Keep the filter set and the search index in step, inside the same transaction."""
    if tags:
        filter_sets_recompute([work.pk])
    index_works([work.pk])


@transaction.atomic
def chapter_add(*, actor: User, work: Work, data: ChapterInput, post: bool = True) -> Chapter:
    """Add a chapter at the end; posting it updates the work's date and counts."""
    require_participation(actor)  # suspended and banned accounts post nothing
    last = work.chapters.order_by("-position").values_list("position", flat=True).first() or 0
    chapter = Chapter(work=work, position=last + 1, posted=False)
    _apply_chapter_fields(chapter, data)
    if post and work.posted:
        chapter.posted = True
        chapter.published_at = timezone.localdate()
        _touch(work)
    chapter.save()
    _recount(work)
    _save(work)
    _reindex(work)
    if chapter.posted:
        chapter_posted(chapter)
    return chapter


@transaction.atomic
def chapter_update(
    *, actor: User, chapter: Chapter, data: ChapterInput, post: bool = False
) -> Chapter:
    """Change a chapter; `post` then posts a draft chapter, in the same transaction."""
    require_participation(actor)  # suspended and banned accounts post nothing
    _apply_chapter_fields(chapter, data)
    chapter.save()
    work = chapter.work
    _recount(work)
    if work.posted and chapter.posted:
        _touch(work)
    _save(work)
    _reindex(work)
    if post and not chapter.posted:
        chapter_post(actor=actor, chapter=chapter)
    return chapter


@transaction.atomic
def chapter_post(*, actor: User, chapter: Chapter) -> Chapter:
    """Post a draft chapter of a posted work."""
    require_participation(actor)  # suspended and banned accounts post nothing
    work = chapter.work
    if not work.posted:
        raise ValidationError("Post the work before posting its chapters.")
    if not chapter.posted:
        chapter.posted = True
        chapter.scheduled_at = None
        chapter.published_at = timezone.localdate()
        chapter.save(update_fields=["posted", "published_at", "scheduled_at"])
        _touch(work)
        _recount(work)
        _save(work)
        _reindex(work)
        chapter_posted(chapter)
    return chapter


@transaction.atomic
def chapter_delete(*, actor: User, chapter: Chapter) -> None:
    work = chapter.work
    if work.chapters.count() <= 1:
        raise ValidationError("A work needs at least one chapter; delete the work instead.")
    if chapter.posted and work.chapters.filter(posted=True).count() <= 1 and work.posted:
        raise ValidationError("This is the only posted chapter; delete the work instead.")
    chapter.delete()
    # Kudos and comments on the chapter went with it; engagement recounts the work's counters.
    chapter_deleted(work)
    work.refresh_from_db(fields=["kudos_count", "comment_count"])
    _renumber(work)
    _recount(work)
    _save(work)
    _reindex(work)


@transaction.atomic
def chapters_reorder(*, actor: User, work: Work, chapter_ids: list[int]) -> None:
    """Put the chapters in the given order; the list must name each chapter once."""
    current = list(work.chapters.values_list("pk", flat=True))
    if sorted(current) != sorted(chapter_ids):
        raise ValidationError("List every chapter of this work exactly once.")
    chapters = {chapter.pk: chapter for chapter in work.chapters.all()}
    for position, chapter_id in enumerate(chapter_ids, start=1):
        chapter = chapters[chapter_id]
        if chapter.position != position:
            chapter.position = position
            chapter.save(update_fields=["position"])
    _reindex(work)


@transaction.atomic
def creatorship_accept(*, actor: User, creatorship: Creatorship) -> Creatorship:
    creatorship.accepted = True
    creatorship.save(update_fields=["accepted"])
    index_works([creatorship.work_id])
    return creatorship


@transaction.atomic
def creatorship_decline(*, actor: User, creatorship: Creatorship) -> None:
    creatorship.delete()
    index_works([creatorship.work_id])


# --------------------------------------------------------------------------- visibility


@dataclass(frozen=True)
class Concealment:
    """What a collection hides about one work: its creators, the work itself, and who may
    see it while unrevealed (the maintainers of its collections; its creators always can)."""

    anonymous: bool = False
    unrevealed: bool = False
    steward_ids: frozenset[int] = frozenset()


@transaction.atomic
def work_conceal(*, states: Mapping[int, Concealment]) -> set[int]:
    """Make these works' anonymity, unrevealed state and stewards what `states` says.

    Collections call this from each action that changes items, a collection's settings or
    its maintainers (works never asks collections). Works whose listing or byline changed
    are reindexed; works that became listed (revealed) are announced as if just posted. The
    ids whose anonymity or unrevealed state changed are returned.
    """
    ids = sorted(states)
    works = {w.pk: w for w in Work.objects.select_for_update().filter(pk__in=ids)}
    changed: list[Work] = []
    revealed: list[Work] = []
    for work_id, state in states.items():
        work = works.get(work_id)
        if work is None:
            continue
        if (work.anonymous, work.unrevealed) != (state.anonymous, state.unrevealed):
            if work.unrevealed and not state.unrevealed and work.posted and not work.hidden:
                revealed.append(work)
            work.anonymous, work.unrevealed = state.anonymous, state.unrevealed
            work.updated_at = timezone.now()  # bulk_update leaves auto_now alone
            changed.append(work)
    if changed:
        Work.objects.bulk_update(changed, ["anonymous", "unrevealed", "updated_at"])
    rows = WorkSteward.objects.filter(work_id__in=works).values_list("pk", "work_id", "user_id")
    row_ids = {(work_id, user_id): pk for pk, work_id, user_id in rows}
    stewards = set(row_ids)
    wanted = {
        (work_id, user_id)
        for work_id, state in states.items()
        if work_id in works and state.unrevealed
        for user_id in state.steward_ids
    }
    stale = [row_ids[pair] for pair in stewards - wanted]
    if stale:  # one statement, however many maintainers left or works were revealed
        WorkSteward.objects.filter(pk__in=stale).delete()
    WorkSteward.objects.bulk_create(
        [WorkSteward(work_id=w, user_id=u) for w, u in sorted(wanted - stewards)],
        ignore_conflicts=True,
    )
    if changed:
        index_works([work.pk for work in changed])
    for work in revealed:
        work_posted(work)  # subscribers hear of it now (engagement listens)
    return {work.pk for work in changed}


@transaction.atomic
def work_set_hidden(*, actor: User, work: Work, hidden: bool) -> Work:
    """Hide a work from everyone but its creators and staff, or show it again (staff only).

    Moderation (reports, reasons, the audit log) builds on this one switch.
    """
    if not (actor.is_staff or actor.is_superuser):
        raise ValidationError({"hidden": "Only the archive's staff can hide or unhide works."})
    if work.hidden == hidden:
        return work
    work.hidden = hidden
    work.save(update_fields=["hidden", "updated_at"])
    index_works([work.pk])
    return work


# --------------------------------------------------------------------------- imports


@transaction.atomic
def work_backdate(
    *,
    actor: User,
    work: Work,
    chapter_dates: Mapping[int, datetime.date],
    updated: datetime.date | None = None,
) -> Work:
    """Give a posted work's chapters (by position) and its "updated" date the dates of the
    archive it was imported from; dates in the future are refused, as for posting."""
    today = timezone.localdate()
    if any(date > today for date in chapter_dates.values()) or (updated and updated > today):
        raise ValidationError({"published_at": "The publication date cannot be in the future."})
    for chapter in work.chapters.filter(position__in=list(chapter_dates)):
        chapter.published_at = chapter_dates[chapter.position]
        chapter.save(update_fields=["published_at"])
    if work.posted and updated and work.published_at and updated >= work.published_at:
        work.revised_at = datetime.datetime.combine(
            updated, datetime.time.min, tzinfo=timezone.get_current_timezone()
        )
        _save(work)
    _reindex(work)
    return work


@transaction.atomic
def work_transfer_creator(*, actor: User, work: Work, from_user: User, to_pseud: Pseud) -> Work:
    """Credit `to_pseud` instead of `from_user`'s pseuds (an archivist's import claimed by
    its writer); the actor is the pseud's owner, who accepts by claiming."""
    if to_pseud.user_id != actor.pk:
        raise ValidationError({"pseuds": "Choose one of your own pseuds."})
    work.creatorships.filter(pseud__user=from_user).exclude(pseud=to_pseud).delete()
    Creatorship.objects.update_or_create(
        work=work, pseud=to_pseud, defaults={"accepted": True, "invited_by": None}
    )
    _reindex(work)
    return work


@transaction.atomic
def work_staff_retag(
    *,
    actor: User,
    work: Work,
    rating: str | None = None,
    warnings: list[str] | None = None,
    tags: Mapping[str, list[str]] | None = None,
) -> Work:
    """Staff change a work's rating, warnings or tags when its creator will not (staff only).

    `tags` maps a posting-form field (fandoms, relationships, characters, freeforms,
    categories) to its new names; fields not given stay. Moderation records the change.
    """
    if not (actor.is_staff or actor.is_superuser):
        raise ValidationError({"rating": "Only the archive's staff can retag others' works."})
    data = WorkInput.of(work)
    if rating is not None:
        data.rating = rating
    if warnings is not None:
        data.warnings = list(warnings)
    allowed = {"fandoms", "relationships", "characters", "freeforms", "categories"}
    for field_name, names in (tags or {}).items():
        if field_name not in allowed:
            raise ValidationError({field_name: "Staff may change tags, rating and warnings only."})
        setattr(data, field_name, list(names))
    _set_tags(work, data)
    work.rating = data.rating
    work.save(update_fields=["rating", "updated_at"])
    _reindex(work, tags=True)
    return work
