"""Every write of imports: start an import, make the drafts, claim works (the worker runs a
URL import: jobs.py)."""

import dataclasses
import datetime
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from polis.accounts.models import Pseud, User
from polis.accounts.roles import Role, has_role
from polis.core.queueing import enqueue_with_change
from polis.engagement.comments import comment_settings_update
from polis.engagement.models import CommentPermission
from polis.imports.models import ExternalCreator, ImportedWork, ImportJob
from polis.imports.parsed import ImportRefused, ParsedChapter, ParsedWork
from polis.imports.readers.files import read_export_extras, read_file
from polis.imports.restore import (
    Restored,
    export_bookmarks_restore,
    export_pseuds_restore,
    work_pseud,
)
from polis.imports.tasks import import_run
from polis.tags.fixed import WARNINGS, Rating
from polis.tags.models import Tag, TagType
from polis.tags.names import tag_key, validate_tag_name
from polis.works.actions import (
    ChapterInput,
    WorkInput,
    work_backdate,
    work_create,
    work_transfer_creator,
)
from polis.works.languages import LANGUAGES
from polis.works.models import Work
from polis.works.series import own_series, series_add_work, series_create

MAX_URLS = 20
MAX_PENDING_JOBS = 5  # per writer: each job makes the worker fetch other sites
_LANGUAGE_CODES = {code for code, _ in LANGUAGES}


@dataclass(kw_only=True)
class ImportOptions:
    """What the writer chooses for every imported work, and what fills in what a source
    leaves out (the writer sees and can change all of it on the draft's preview)."""

    pseud_id: int | None = None
    restricted: bool = False
    comment_permission: str = CommentPermission.EVERYONE.value
    moderated: bool = False
    rating: str = Rating.NOT_RATED.value
    warnings: list[str] = field(default_factory=lambda: [WARNINGS[0]])
    fandom: str = "Unknown Fandom"
    language: str = "en"
    external_name: str = ""
    external_email: str = ""

    def clean(self, actor: User) -> "ImportOptions":
        errors: dict[str, str] = {}
        if self.comment_permission not in CommentPermission.values:
            errors["comment_permission"] = "Choose who may comment."
        if self.rating not in Rating.values:
            errors["rating"] = "Choose a rating."
        if not self.warnings or any(w not in WARNINGS for w in self.warnings):
            errors["warnings"] = "Choose at least one archive warning."
        if self.language not in _LANGUAGE_CODES:
            errors["language"] = "Choose a language."
        if not self.fandom.strip():
            errors["fandom"] = "Give a fandom for works whose source names none."
        if (
            self.pseud_id is not None
            and not Pseud.objects.filter(pk=self.pseud_id, user=actor).exists()
        ):
            errors["pseud_id"] = "Choose one of your own pseuds."
        if self.external_name or self.external_email:
            if not has_role(actor, Role.ARCHIVIST):
                errors["external_email"] = "Only archivists import works for other creators."
            elif not self.external_name.strip():
                errors["external_name"] = "Give the creator's name."
            else:
                try:
                    validate_email(self.external_email)
                except ValidationError:
                    errors["external_email"] = "Give the creator's e-mail address."
        if errors:
            raise ValidationError(errors)
        return self


@transaction.atomic
def import_urls_start(
    *, actor: User, urls: list[str], as_chapters: bool, options: ImportOptions, queue: bool = True
) -> ImportJob:
    """Queue URLs for the worker; the job's page shows the drafts as they are made. Without
    `queue` the caller runs the job itself (`polis import_works` does, with import_job_run)."""
    urls = [url.strip() for url in urls if url.strip()]
    if not urls:
        raise ValidationError({"urls": "Give at least one address."})
    if len(urls) > MAX_URLS:
        raise ValidationError({"urls": f"Give at most {MAX_URLS} addresses at once."})
    bad = [url for url in urls if urlsplit(url).scheme not in {"http", "https"}]
    if bad or any(not urlsplit(url).hostname for url in urls):
        raise ValidationError({"urls": "Give http or https addresses, one a line."})
    options.clean(actor)
    pending = ImportJob.objects.filter(
        owner=actor, status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING]
    )
    if pending.count() >= MAX_PENDING_JOBS:
        raise ValidationError(
            {"urls": f"You have {MAX_PENDING_JOBS} imports waiting; try again when they finish."}
        )
    job = ImportJob.objects.create(
        owner=actor,
        urls=urls,
        as_chapters=as_chapters and len(urls) > 1,
        options=dataclasses.asdict(options),
    )
    if queue:
        # With the database queue the task row commits with the job, or neither does.
        enqueue_with_change(import_run, job.pk)
    return job


def merge_as_chapters(works: list[ParsedWork]) -> ParsedWork:
    """Several pages as one work: the first page's preface, every page's chapters in order
    (a one-chapter page's chapter is titled by its page)."""
    first = dataclasses.replace(works[0], chapters=[])
    for work in works:
        for chapter in work.chapters:
            title = chapter.title or (work.title if len(work.chapters) == 1 else "")
            first.chapters.append(dataclasses.replace(chapter, title=title))
    first.updated_at = max(
        (w.updated_at or w.published_at for w in works if w.updated_at or w.published_at),
        default=None,
    )
    return first


def read_upload(upload) -> bytes:
    """An uploaded file's bytes, never more than one past the limit (`import_file` refuses
    that), however large the upload."""
    return upload.read(settings.POLIS_IMPORT_MAX_BYTES + 1)


def import_file(*, actor: User, name: str, data: bytes, options: ImportOptions) -> list[Work]:
    """Read one uploaded file and make its drafts (an export ZIP may hold many), all or none."""
    return import_file_result(actor=actor, name=name, data=data, options=options).works


@dataclass(kw_only=True)
class FileImported:
    works: list[Work]
    restored: Restored | None = None  # an export ZIP's pseuds and bookmarks


def import_file_result(
    *, actor: User, name: str, data: bytes, options: ImportOptions
) -> FileImported:
    """`import_file`, and for an account export ZIP its pseuds and bookmarks restored too
    (polis/imports/restore.py), all or none."""
    if len(data) > settings.POLIS_IMPORT_MAX_BYTES:
        raise ValidationError(
            {"file": f"The file is larger than {settings.POLIS_IMPORT_MAX_BYTES} bytes."}
        )
    options.clean(actor)
    try:
        parsed = read_file(name, data)
        account = read_export_extras(name, data)
    except ImportRefused as error:
        raise ValidationError({"file": str(error)}) from None
    with transaction.atomic():
        if account is None:
            works = [
                imported_draft_create(actor=actor, parsed=work, options=options, source_name=name)
                for work in parsed
            ]
            return FileImported(works=works)
        restored = Restored()
        pseuds = export_pseuds_restore(actor=actor, account=account, restored=restored)
        # Works keep their pseud unless the writer chose a pseud other than the default one.
        by_name = options.pseud_id in (None, *(p.pk for p in pseuds.values() if p.is_default))
        works = [
            imported_draft_create(
                actor=actor,
                parsed=work,
                options=options,
                source_name=name,
                pseud=work_pseud(work, pseuds) if by_name else None,
            )
            for work in parsed
        ]
        export_bookmarks_restore(
            actor=actor,
            account=account,
            pseuds=pseuds,
            fandom=options.fandom.strip(),
            restored=restored,
        )
        return FileImported(works=works, restored=restored)


def _usable_tags(names: list[str], tag_type: str) -> list[str]:
    """Names that can tag this field: valid, once each, and not a tag of another type (AO3
    names are unique across types; such a name is left for the writer to place)."""
    kept: dict[str, str] = {}
    for name in names:
        name = " ".join(name.split())
        try:
            validate_tag_name(name)
        except ValidationError:
            continue
        kept.setdefault(tag_key(name), name)
    other = set(
        Tag.objects.filter(key__in=list(kept)).exclude(type=tag_type).values_list("key", flat=True)
    )
    return [name for key, name in kept.items() if key not in other]


def _past(date: datetime.date | None) -> datetime.date | None:
    return date if date and date <= timezone.localdate() else None


def _work_input(parsed: ParsedWork, options: ImportOptions) -> WorkInput:
    user_tags = {
        name: _usable_tags(getattr(parsed, name), tag_type)
        for name, tag_type in (
            ("fandoms", TagType.FANDOM),
            ("relationships", TagType.RELATIONSHIP),
            ("characters", TagType.CHARACTER),
            ("freeforms", TagType.FREEFORM),
        )
    }
    budget = settings.POLIS_MAX_USER_TAGS
    for name in ("fandoms", "characters", "relationships", "freeforms"):
        user_tags[name] = user_tags[name][: max(budget, 0)]
        budget -= len(user_tags[name])
    chapters = len(parsed.chapters)
    expected = parsed.expected_chapters
    if expected is not None and expected < chapters:
        expected = chapters
    return WorkInput(
        title=(" ".join(parsed.title.split()) or "Untitled")[:255],
        rating=parsed.rating or options.rating,
        warnings=parsed.warnings or list(options.warnings),
        categories=parsed.categories,
        fandoms=user_tags["fandoms"] or _usable_tags([options.fandom], TagType.FANDOM),
        relationships=user_tags["relationships"],
        characters=user_tags["characters"],
        freeforms=user_tags["freeforms"],
        language=parsed.language if parsed.language in _LANGUAGE_CODES else options.language,
        summary=parsed.summary,
        notes=parsed.notes,
        end_notes=parsed.end_notes,
        restricted=options.restricted or bool(parsed.restricted),
        complete=bool(parsed.complete) if parsed.complete is not None else chapters == 1,
        expected_chapters=None if parsed.complete else expected,
        published_at=_past(parsed.published_at),
    )


def _chapter_input(chapter: ParsedChapter) -> ChapterInput:
    return ChapterInput(
        text=chapter.html,
        text_format=chapter.text_format,
        title=" ".join(chapter.title.split())[:255],
        summary=chapter.summary,
        notes=chapter.notes,
        end_notes=chapter.end_notes,
    )


@transaction.atomic
def imported_draft_create(
    *,
    actor: User,
    parsed: ParsedWork,
    options: ImportOptions,
    job: ImportJob | None = None,
    source_name: str = "",
    pseud: Pseud | None = None,
) -> Work:
    """One read work as a draft of the importer, with its series and comment settings; an
    archivist's import is recorded for the external creator, who is invited to claim it."""
    if not parsed.chapters:
        raise ValidationError({"file": "No chapter text was found."})
    pseud = pseud or (
        Pseud.objects.get(pk=options.pseud_id, user=actor)
        if options.pseud_id
        else Pseud.objects.get(user=actor, is_default=True)
    )
    first, *rest = [_chapter_input(chapter) for chapter in parsed.chapters]
    data = _work_input(parsed, options)
    if options.external_email:
        # Readers must not take the archivist for the writer (AO3's "[archived by …]").
        credit = f"<p>Archived by {escape(actor.username)} for {escape(options.external_name)}.</p>"
        data.notes = credit + data.notes
    work = work_create(
        actor=actor,
        pseuds=[pseud],
        data=data,
        chapter=first,
        more_chapters=rest,
        post=False,
    )
    for title, _position in parsed.series:  # parts join in import order
        series = own_series(actor).filter(title=title[:255]).first() or series_create(
            actor=actor, title=title[:255], pseuds=[pseud]
        )
        series_add_work(actor=actor, series=series, work=work)
    if options.comment_permission != CommentPermission.EVERYONE or options.moderated:
        comment_settings_update(
            actor=actor,
            work=work,
            permission=options.comment_permission,
            moderated=options.moderated,
        )
    external = _external_creator(actor, options)
    ImportedWork.objects.create(
        work=work,
        job=job,
        importer=actor,
        source_url=parsed.source_url[:2000],
        source_name=source_name[:255],
        creators=parsed.creators,
        updated_on=_past(parsed.updated_at),
        chapter_dates=[
            date.isoformat() if (date := _past(chapter.published_at)) else None
            for chapter in parsed.chapters
        ],
        external_creator=external,
    )
    return work


def _external_creator(actor: User, options: ImportOptions) -> ExternalCreator | None:
    if not options.external_email:
        return None
    creator, created = ExternalCreator.objects.get_or_create(
        archivist=actor,
        email=options.external_email.strip().lower(),
        defaults={"name": options.external_name.strip()[:255]},
    )
    if created:
        transaction.on_commit(lambda: _send_claim_invitation(creator))
    return creator


def _send_claim_invitation(creator: ExternalCreator) -> None:
    link = f"{settings.POLIS_SITE_URL.rstrip('/')}{creator.get_absolute_url()}"
    send_mail(
        f"[{settings.SITE_NAME}] Your works have been archived",
        f"Hello {creator.name},\n\n"
        f"An archivist of {settings.SITE_NAME} has imported works of yours, so that they are "
        f"not lost. They are drafts until you claim them: log in or create an account, then "
        f"open this link to move them to your pseud:\n\n{link}\n\n"
        f"If these works are not yours, or you do not want them here, reply to this message.\n",
        settings.DEFAULT_FROM_EMAIL,
        [creator.email],
    )


@transaction.atomic
def external_creator_claim(
    *, actor: User, creator: ExternalCreator, pseud: Pseud | None = None
) -> list[Work]:
    """Move an external creator's imported works from the archivist to the actor's pseud."""
    if creator.claimed_by_id is not None:
        raise ValidationError("These works have already been claimed.")
    pseud = pseud or Pseud.objects.get(user=actor, is_default=True)
    works = [record.work for record in creator.works.select_related("work")]
    for work in works:
        work_transfer_creator(actor=actor, work=work, from_user=creator.archivist, to_pseud=pseud)
    for record in creator.works.all():
        record.importer = actor
        record.save(update_fields=["importer"])
    creator.claimed_by = actor
    creator.claimed_at = timezone.now()
    creator.save(update_fields=["claimed_by", "claimed_at"])
    return works


def restore_imported_dates(work: Work) -> None:
    """When an imported draft is posted, its chapters take their source's dates (works
    dates every chapter with the work's publication date)."""
    record = ImportedWork.objects.filter(work=work).select_related("importer").first()
    if record is None:
        return
    chapter_dates = {
        position: datetime.date.fromisoformat(value)
        for position, value in enumerate(record.chapter_dates, start=1)
        if value
    }
    if chapter_dates or record.updated_on:
        work_backdate(
            actor=record.importer,
            work=work,
            chapter_dates=chapter_dates,
            updated=record.updated_on,
        )
