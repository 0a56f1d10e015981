"""Series: who may see and change one, every write to it, and the reads its pages need.

A series belongs to the users behind its pseuds. Readers see a series through its works: the
works they may read (drafts never, restricted ones when logged in), so a series with no
readable work is missing to them. The parts a page lists come from the search service
(`polis.search.service.series_entries`), like every other list of works.

Anonymous works (`polis.works.visibility.can_see_creators`) must not be tied to a name
through a series. A series therefore shows one side of itself, the same to every viewer: if
any of its listed works names its creators, it is a *named* series and shows only its named
works, bylined by their creators; otherwise it is an *anonymous* series, shows only its
anonymous works and is bylined "Anonymous". An anonymous work in a named series is left out
of the series everywhere (work page, series page, API, downloads, user pages, notices) until
it is revealed.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.http import Http404

from polis.accounts.hooks import muted_user_ids
from polis.accounts.models import Pseud, User
from polis.accounts.standing import require_participation
from polis.core.text import to_html
from polis.works.access import is_creator, visible_works
from polis.works.events import series_work_added
from polis.works.models import Series, SeriesWork, Work
from polis.works.visibility import can_see_creators, is_staff, listed_works, named_q

TITLE_MAX = 240
SUMMARY_MAX = 1250
NOTES_MAX = 5000
Viewer = User | AnonymousUser


# --------------------------------------------------------------------------- access


def is_series_creator(user: Viewer, series: Series) -> bool:
    return user.is_authenticated and series.pseuds.filter(user=user).exists()


def named_series_q(series_field: str = "pk") -> Q:
    """True for named series (see the module docstring); `series_field` names the series'
    id on the rows filtered ("pk" on series, "series_id" on rows pointing at one)."""
    named_works = listed_works().filter(named_q())
    return Q(
        Exists(SeriesWork.objects.filter(series_id=OuterRef(series_field), work__in=named_works))
    )


def series_is_anonymous(series: Series) -> bool:
    """Whether the series shows as "Anonymous": none of its listed works names its creators."""
    return not Series.objects.filter(named_series_q(), pk=series.pk).exists()


def shown_in_series_q(prefix: str = "") -> Q:
    """Rows of series works (`prefix` before `series_id` / `work__`) whose work the series
    shows: named works of named series, anonymous works of anonymous series."""
    named_series = named_series_q(f"{prefix}series_id")
    named_work = named_q(f"{prefix}work__")
    return (named_series & named_work) | (~named_series & ~named_work)


def _shown_entries(viewer: Viewer, series: Series) -> QuerySet[SeriesWork]:
    entries = SeriesWork.objects.filter(series=series, work__in=visible_works(viewer))
    return entries.filter(shown_in_series_q())


def series_seen_q(viewer: Viewer, prefix: str = "") -> Q:
    """Series (or rows pointing at one, `prefix="series__"`) not hidden from this viewer:
    a series staff hid is seen by its creators and staff only."""
    if is_staff(viewer):
        return Q()
    shown = Q(**{f"{prefix}hidden": False})
    if viewer.is_authenticated:
        mine = Series.objects.filter(pk=OuterRef(f"{prefix}pk" if prefix else "pk"))
        shown |= Q(Exists(mine.filter(pseuds__user=viewer)))
    return shown


def access_series_for_view(viewer: Viewer, series_id: int) -> Series:
    """The series if the viewer created it or may read one of its works; Http404 otherwise."""
    series = Series.objects.filter(pk=series_id).first()
    if series is None:
        raise Http404("No such series.")
    if is_series_creator(viewer, series):
        return series
    if series.hidden and not is_staff(viewer):
        raise Http404("No such series.")  # hidden by staff: its creators and staff only
    if not _shown_entries(viewer, series).exists():
        raise Http404("No such series.")
    return series


def access_series_for_edit(viewer: Viewer, series_id: int) -> Series:
    series = Series.objects.filter(pk=series_id).first()
    if series is None or not is_series_creator(viewer, series):
        raise Http404("No such series.")
    return series


# --------------------------------------------------------------------------- reads


@dataclass
class SeriesPart:
    """ "Part N of Series", with the neighbouring works the viewer may read."""

    series: Series
    position: int
    previous: Work | None
    next: Work | None


def series_parts(viewer: Viewer, work: Work) -> list[SeriesPart]:
    """Every series that shows the work (see the module docstring), for the work page."""
    parts = []
    memberships = SeriesWork.objects.filter(work=work).filter(shown_in_series_q())
    memberships = memberships.filter(series_seen_q(viewer, "series__"))
    for entry in memberships.select_related("series").order_by("series__title", "series_id"):
        around = _shown_entries(viewer, entry.series)
        previous = around.filter(position__lt=entry.position).order_by("-position").first()
        following = around.filter(position__gt=entry.position).order_by("position").first()
        parts.append(
            SeriesPart(
                series=entry.series,
                position=entry.position,
                previous=previous.work if previous else None,
                next=following.work if following else None,
            )
        )
    return parts


def series_of_user(viewer: Viewer, user: User) -> QuerySet[Series]:
    """A user's series that the viewer may see (muted users' series are left out).

    Others see a series here only through a work of the user's that it shows under their
    name: a series holding only anonymous works of theirs would tie those works to them.
    """
    series = Series.objects.filter(pseuds__user=user)
    if not (viewer.is_authenticated and viewer.pk == user.pk or is_staff(viewer)):
        series = series.filter(hidden=False)
    if not (viewer.is_authenticated and viewer.pk == user.pk):
        named = (
            listed_works()
            .filter(named_q(), pk__in=visible_works(viewer).values("pk"))
            .filter(creatorships__pseud__user=user, creatorships__accepted=True)
        )
        series = series.filter(
            Exists(SeriesWork.objects.filter(series_id=OuterRef("pk"), work__in=named))
        )
    muted = muted_user_ids(viewer)
    if muted:
        series = series.exclude(pseuds__user_id__in=muted)
    return series.distinct().prefetch_related("pseuds__user").order_by("-updated_at", "-pk")


def own_series(user: User) -> QuerySet[Series]:
    return Series.objects.filter(pseuds__user=user).distinct().order_by("title", "pk")


def series_creator_pseuds(series: Series, entries: list[SeriesWork]) -> list[Pseud]:
    """Whom the series' byline names, given the `series_entries` a viewer sees: its pseuds
    that created one of those works, when they name their creators; nobody ("Anonymous")
    for an anonymous series. An empty series (seen by its creators only) names its pseuds."""
    works = [entry.work for entry in entries]
    if not works:
        if series.entries.exists():
            return []
        return list(series.pseuds.select_related("user").order_by("name"))
    if not all(can_see_creators(work) for work in works):
        return []
    creators = Pseud.objects.filter(creatorships__work__in=works, creatorships__accepted=True)
    named = creators.filter(pk__in=series.pseuds.values("pk"))
    # A series' pseuds are those who added works; should none of them remain behind the
    # works shown, the works' own creators stand in.
    return list(
        (named if named.exists() else creators).select_related("user").distinct().order_by("name")
    )


# --------------------------------------------------------------------------- actions


def _html(value: str, limit: int, field: str) -> str:
    if len(value) > limit:
        raise ValidationError({field: f"At most {limit:,} characters, please."})
    return to_html(value, "html", allow_class=False, field=field) if value.strip() else ""


def _apply(series: Series, *, title: str, summary: str, notes: str, complete: bool) -> None:
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": "Please give the series a title."})
    if len(title) > TITLE_MAX:
        raise ValidationError({"title": f"Titles can be at most {TITLE_MAX} characters long."})
    series.title = title
    series.summary = _html(summary, SUMMARY_MAX, "summary")
    series.notes = _html(notes, NOTES_MAX, "notes")
    series.complete = complete


@transaction.atomic
def series_create(
    *,
    actor: User,
    title: str,
    summary: str = "",
    notes: str = "",
    complete: bool = False,
    pseuds: list[Pseud] | None = None,
) -> Series:
    require_participation(actor)  # suspended and banned accounts post nothing
    pseuds = pseuds or list(actor.pseuds.filter(is_default=True))
    if not pseuds or any(pseud.user_id != actor.pk for pseud in pseuds):
        raise ValidationError({"pseuds": "Choose at least one of your own pseuds."})
    series = Series()
    _apply(series, title=title, summary=summary, notes=notes, complete=complete)
    series.save()
    series.pseuds.set(pseuds)
    return series


@transaction.atomic
def series_update(
    *, actor: User, series: Series, title: str, summary: str, notes: str, complete: bool
) -> Series:
    require_participation(actor)  # suspended and banned accounts post nothing
    _apply(series, title=title, summary=summary, notes=notes, complete=complete)
    series.save()
    return series


@transaction.atomic
def series_delete(*, actor: User, series: Series) -> None:
    """Delete the series; its works stay, no longer grouped."""
    series.delete()


def _renumber(series: Series) -> None:
    for position, entry in enumerate(series.entries.order_by("position", "pk"), start=1):
        if entry.position != position:
            entry.position = position
            entry.save(update_fields=["position"])


@transaction.atomic
def series_add_work(*, actor: User, series: Series, work: Work) -> tuple[SeriesWork, bool]:
    """Add one of the actor's works at the end; (entry, False) if it is already there."""
    require_participation(actor)  # suspended and banned accounts post nothing
    if not is_creator(actor, work):
        raise ValidationError({"work_id": "You can only add your own works to a series."})
    existing = SeriesWork.objects.filter(series=series, work=work).first()
    if existing is not None:
        return existing, False
    last = series.entries.aggregate(last=Max("position"))["last"] or 0
    try:
        with transaction.atomic():
            entry = SeriesWork.objects.create(series=series, work=work, position=last + 1)
    except IntegrityError:  # a double submission
        return SeriesWork.objects.get(series=series, work=work), False
    own = Pseud.objects.filter(user=actor, creatorships__work=work, creatorships__accepted=True)
    series.pseuds.add(*own)
    series.save(update_fields=["updated_at"])
    if work.posted:
        series_work_added(work, series)
    return entry, True


@transaction.atomic
def series_remove_work(*, actor: User, series: Series, work: Work) -> None:
    SeriesWork.objects.filter(series=series, work=work).delete()
    _renumber(series)


@transaction.atomic
def series_reorder(*, actor: User, series: Series, work_ids: list[int]) -> None:
    """Put the works in this order; the list must name each work of the series once."""
    entries = {entry.work_id: entry for entry in series.entries.all()}
    if sorted(entries) != sorted(work_ids):
        raise ValidationError({"work_ids": "List every work of this series exactly once."})
    for position, work_id in enumerate(work_ids, start=1):
        entry = entries[work_id]
        if entry.position != position:
            entry.position = position
            entry.save(update_fields=["position"])
    series.save(update_fields=["updated_at"])


@transaction.atomic
def series_set_hidden(*, actor: User, series: Series, hidden: bool) -> Series:
    """Staff hide (or show) a series: its creators and staff still see it."""
    if not is_staff(actor):
        raise ValidationError({"hidden": "Only the archive's staff can hide series."})
    if series.hidden != hidden:
        series.hidden = hidden
        series.save(update_fields=["hidden", "updated_at"])
    return series
