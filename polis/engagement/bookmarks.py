"""Bookmarks: actions and listings. Notes are sanitized HTML; tags are the bookmarker's own.

A work's bookmark count is its public bookmarks. A bookmark outlives its work: the work link
becomes "This has been deleted, sorry!" and the notes stay the bookmarker's.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from polis.accounts.models import Pseud, User
from polis.accounts.standing import require_participation
from polis.core.text import to_html
from polis.engagement.blurbs import work_prefetch
from polis.engagement.models import Bookmark, BookmarkTag, ExternalWork
from polis.engagement.relations import muted_user_ids
from polis.search.indexing import update_stats
from polis.tags.fixed import Rating
from polis.tags.names import normalize_tag_name, tag_key, validate_tag_name
from polis.works.access import visible_works
from polis.works.models import Creatorship, Work
from polis.works.visibility import is_staff

NOTES_MAX_LENGTH = 5000
TAGS_MAX = 75
Viewer = User | AnonymousUser


def _notes_html(notes: str) -> str:
    if len(notes) > NOTES_MAX_LENGTH:
        raise ValidationError(
            {"notes": f"Notes can be at most {NOTES_MAX_LENGTH:,} characters long."}
        )
    return to_html(notes, "html", allow_class=False, field="notes") if notes.strip() else ""


def _clean_tags(names: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    errors = []
    for raw in names:
        name = normalize_tag_name(raw)
        if not name:
            continue
        try:
            validate_tag_name(name)
        except ValidationError as error:
            errors.extend(error.messages)
            continue
        seen.setdefault(tag_key(name), name)
    if len(seen) > TAGS_MAX:
        errors.append(f"A bookmark can have at most {TAGS_MAX} tags.")
    if errors:
        raise ValidationError({"tags": errors})
    return list(seen.values())


def _pseud(actor: User, pseud: Pseud | None) -> Pseud | None:
    if pseud is None:
        return actor.pseuds.filter(is_default=True).first()
    if pseud.user_id != actor.pk:
        raise ValidationError({"pseud": "Choose one of your own pseuds."})
    return pseud


def _set_tags(bookmark: Bookmark, names: list[str]) -> None:
    bookmark.tags.all().delete()
    BookmarkTag.objects.bulk_create([BookmarkTag(bookmark=bookmark, name=n) for n in names])


def bookmarks_recount(work_id: int | None) -> None:
    if work_id is None:
        return
    count = Bookmark.objects.filter(work_id=work_id, private=False, hidden=False).count()
    Work.objects.filter(pk=work_id).update(bookmark_count=count)
    update_stats([work_id])


@transaction.atomic
def bookmark_create(
    *,
    actor: User,
    work: Work | None = None,
    external: ExternalWork | None = None,
    notes: str = "",
    tags: list[str] | None = None,
    private: bool = False,
    rec: bool = False,
    pseud: Pseud | None = None,
) -> tuple[Bookmark, bool]:
    """Bookmark a work here or elsewhere; (the existing bookmark, False) if already there."""
    require_participation(actor)  # suspended and banned accounts bookmark nothing
    if (work is None) == (external is None):
        raise ValidationError("Bookmark either a work here or a work elsewhere.")
    if work is not None and not work.posted:
        raise ValidationError("Only posted works can be bookmarked.")
    target = Q(work=work) if work is not None else Q(external=external)
    existing = Bookmark.objects.filter(target, user=actor).first()
    if existing is not None:
        return existing, False
    clean_tags = _clean_tags(tags or [])
    bookmark = Bookmark(
        user=actor,
        pseud=_pseud(actor, pseud),
        work=work,
        external=external,
        notes=_notes_html(notes),
        private=private,
        rec=rec,
    )
    try:
        with transaction.atomic():
            bookmark.save()
    except IntegrityError:  # a double submission
        return Bookmark.objects.get(target, user=actor), False
    _set_tags(bookmark, clean_tags)
    bookmarks_recount(bookmark.work_id)
    return bookmark, True


@transaction.atomic
def bookmark_update(
    *,
    actor: User,
    bookmark: Bookmark,
    notes: str,
    tags: list[str],
    private: bool,
    rec: bool,
    pseud: Pseud | None = None,
) -> Bookmark:
    require_participation(actor)  # suspended and banned accounts bookmark nothing
    bookmark.notes = _notes_html(notes)
    clean_tags = _clean_tags(tags)
    bookmark.private = private
    bookmark.rec = rec
    bookmark.pseud = _pseud(actor, pseud)
    bookmark.save()
    _set_tags(bookmark, clean_tags)
    bookmarks_recount(bookmark.work_id)
    return bookmark


@transaction.atomic
def bookmark_delete(*, actor: User, bookmark: Bookmark) -> None:
    work_id = bookmark.work_id
    bookmark.delete()
    bookmarks_recount(work_id)


@transaction.atomic
@transaction.atomic
def bookmark_set_hidden(*, actor: User, bookmark: Bookmark, hidden: bool) -> Bookmark:
    """Staff hide (or show) a bookmark: its owner and staff still see it."""
    if not (actor.is_staff or actor.is_superuser):
        raise ValidationError({"hidden": "Only the archive's staff can hide bookmarks."})
    if bookmark.hidden != hidden:
        bookmark.hidden = hidden
        bookmark.save(update_fields=["hidden", "updated_at"])
        bookmarks_recount(bookmark.work_id)
    return bookmark


def external_work_find_or_create(
    *,
    actor: User,
    url: str,
    title: str,
    creator: str,
    fandom: str,
    rating: str = "",
    summary: str = "",
) -> ExternalWork:
    """The off-site work at `url`, made from these details if nobody bookmarked it yet."""
    require_participation(actor)  # suspended and banned accounts bookmark nothing
    url = url.strip()
    errors: dict[str, str] = {}
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        errors["url"] = "Please enter a web address starting with http:// or https://."
    for name, value in (("title", title), ("creator", creator), ("fandom", fandom)):
        if not value.strip():
            errors[name] = "This field is required."
        elif len(value.strip()) > 255:
            errors[name] = "At most 255 characters, please."
    if rating and rating not in Rating.values:
        errors["rating"] = "Choose one of the ratings."
    if errors:
        raise ValidationError(errors)
    found = ExternalWork.objects.filter(url=url).first()
    if found is not None:
        return found
    external = ExternalWork(
        url=url,
        title=title.strip(),
        creator=creator.strip(),
        fandom=fandom.strip(),
        rating=rating,
        summary=_notes_html(summary) if summary else "",
        created_by=actor,
    )
    try:
        with transaction.atomic():
            external.save()
    except IntegrityError:
        return ExternalWork.objects.get(url=url)
    return external


# --------------------------------------------------------------------------- listings


def _muted_creator_works(muted: list[int]) -> Exists:
    return Exists(
        Creatorship.objects.filter(
            work=OuterRef("work_id"), accepted=True, pseud__user_id__in=muted
        )
    )


def visible_bookmarks(viewer: Viewer, *, include_deleted: bool = True) -> QuerySet[Bookmark]:
    """Bookmarks the viewer may see: public ones (own private ones too) of works they may see,
    without those by or of users they muted."""
    on_site = Q(work__in=visible_works(viewer))
    if viewer.is_authenticated:
        # A bookmarker always sees their own bookmarks, even of works that went back to draft.
        on_site |= Q(user=viewer, work__isnull=False)
    elsewhere = Q(work__isnull=True, external__isnull=False)
    deleted = Q(work__isnull=True, external__isnull=True)
    shown = on_site | elsewhere | (deleted if include_deleted else Q(pk__in=[]))
    bookmarks = Bookmark.objects.filter(shown)
    if viewer.is_authenticated:
        bookmarks = bookmarks.filter(Q(private=False) | Q(user=viewer))
    else:
        bookmarks = bookmarks.filter(private=False)
    if not is_staff(viewer):
        # Hidden by staff: its owner and staff only.
        mine = Q(user=viewer) if viewer.is_authenticated else Q(pk__in=[])
        bookmarks = bookmarks.filter(Q(hidden=False) | mine)
    muted = muted_user_ids(viewer)
    if muted:
        bookmarks = bookmarks.exclude(user_id__in=muted).exclude(_muted_creator_works(muted))
    return bookmarks


def with_bookmark_display(bookmarks: QuerySet[Bookmark]) -> QuerySet[Bookmark]:
    """Everything a bookmark blurb shows, in a fixed number of queries."""
    return bookmarks.select_related("user", "pseud__user", "external").prefetch_related(
        "tags", work_prefetch()
    )


def bookmarks_of_user(viewer: Viewer, user: User, *, tag: str = "") -> QuerySet[Bookmark]:
    bookmarks = visible_bookmarks(viewer).filter(user=user)
    if tag:
        bookmarks = bookmarks.filter(tags__name__iexact=normalize_tag_name(tag))
    return with_bookmark_display(bookmarks).order_by("-created_at", "-pk")


def bookmarks_of_work(viewer: Viewer, work: Work) -> QuerySet[Bookmark]:
    return with_bookmark_display(visible_bookmarks(viewer).filter(work=work)).order_by(
        "-created_at", "-pk"
    )


def recent_bookmarks(viewer: Viewer) -> QuerySet[Bookmark]:
    return with_bookmark_display(
        visible_bookmarks(viewer, include_deleted=False).filter(
            Q(work__isnull=False) | Q(external__isnull=False)
        )
    ).order_by("-created_at", "-pk")


def viewer_bookmark_count(viewer: Viewer, work: Work) -> int:
    """The work's bookmark count as this viewer sees it: muted users' bookmarks left out."""
    muted = muted_user_ids(viewer)
    if not muted:
        return work.bookmark_count
    hidden = Bookmark.objects.filter(
        work=work, private=False, hidden=False, user_id__in=muted
    ).count()
    return max(work.bookmark_count - hidden, 0)


def bookmark_of(viewer: Viewer, work: Work) -> Bookmark | None:
    if not viewer.is_authenticated:
        return None
    return Bookmark.objects.filter(user=viewer, work=work).first()
