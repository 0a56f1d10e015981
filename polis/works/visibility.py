"""Who sees what: the one rule deciding whether a viewer may see a work, its chapters and
its creators. Every surface asks here, or starts from a queryset built here.

A work's own state decides, never another app: drafts are their creators'; staff may hide a
work (`hidden`); a collection may keep it unrevealed or its creators anonymous, which it
sets on the work through `polis.works.actions.work_conceal`. The rule, in order:

1. A work's accepted creators always see it (a hidden one with a notice, to keep editing).
2. Everyone else never sees a draft.
3. A work hidden by staff is seen by staff only.
4. An unrevealed work is seen by its stewards only (the maintainers of its collections).
5. A restricted work is seen by logged-in readers; a logged-out reader is told it is for
   registered users, and nothing else about it (AO3's habit, so it answers RESTRICTED).
6. Otherwise, by everyone.

Its creators are named nowhere while it is anonymous ("Anonymous", to every viewer, so a
page is the same whoever reads it). Chapters: creators see their draft chapters; everyone
else the posted ones, numbered among themselves. Listings show the same works, less what a
reader chose not to see (mutes, blocklist: `polis.search.service`), and only works that are
*listed* (posted, not hidden, not unrevealed) — the search index holds exactly those.
Series apply the rule to their works (`polis.works.series`: no series ties an anonymous
work to a name); notices apply it when read (`polis.engagement.notices`).
"""

from enum import StrEnum

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet

from polis.accounts.models import Pseud, User
from polis.works.models import Chapter, Creatorship, Work, WorkSteward, creator_pseuds

Viewer = User | AnonymousUser
# How a byline reads while a work's creators are hidden.
ANONYMOUS = "Anonymous"


class Seen(StrEnum):
    VISIBLE = "visible"
    RESTRICTED = "restricted"  # a logged-out reader, a work for registered users only
    HIDDEN = "hidden"  # as if it did not exist: 404


def is_staff(viewer: Viewer) -> bool:
    """Staff see works they hid (the moderation tools' people)."""
    return bool(viewer.is_authenticated and (viewer.is_staff or viewer.is_superuser))


def prefetched_creator_user_ids(work: Work) -> set[int] | None:
    """The users behind the work's accepted creators, when the display data (accepted
    creatorships with their pseuds, `polis.works.selectors`) is loaded on it; else None."""
    creatorships = getattr(work, "_prefetched_objects_cache", {}).get("creatorships")
    if creatorships is None:
        return None
    return {c.pseud.user_id for c in creatorships if c.accepted}


def is_creator(viewer: Viewer, work: Work) -> bool:
    if not viewer.is_authenticated:
        return False
    known = prefetched_creator_user_ids(work)
    if known is not None:
        return viewer.pk in known
    return Creatorship.objects.filter(work=work, pseud__user=viewer, accepted=True).exists()


def is_steward(viewer: Viewer, work: Work) -> bool:
    if not viewer.is_authenticated:
        return False
    return WorkSteward.objects.filter(work=work, user=viewer).exists()


def work_seen(viewer: Viewer, work: Work, *, creator: bool | None = None) -> Seen:
    """How this viewer sees this work; `creator` when the caller already knows it."""
    if work.posted and not (work.hidden or work.unrevealed):
        # The common case asks no query.
        if work.restricted and not viewer.is_authenticated:
            return Seen.RESTRICTED
        return Seen.VISIBLE
    if creator is None:
        creator = is_creator(viewer, work)
    if creator:
        return Seen.VISIBLE
    if not work.posted:
        return Seen.HIDDEN
    if work.hidden and not is_staff(viewer):
        return Seen.HIDDEN
    if work.unrevealed and not is_steward(viewer, work):
        return Seen.HIDDEN
    if work.restricted and not viewer.is_authenticated:
        return Seen.RESTRICTED
    return Seen.VISIBLE


def can_see_work(viewer: Viewer, work: Work) -> bool:
    """Whether the viewer may read the work itself (RESTRICTED is a no)."""
    return work_seen(viewer, work) == Seen.VISIBLE


def can_see_creators(work: Work) -> bool:
    """Whether bylines, notices, downloads and the API may name the work's creators."""
    return not work.anonymous


def named_q(prefix: str = "") -> Q:
    """`can_see_creators` as a condition on works (or rows pointing at one with `prefix`)."""
    return Q(**{f"{prefix}anonymous": False})


def byline_pseuds(work: Work) -> list[Pseud]:
    """The pseuds a byline names: none while the work is anonymous ("Anonymous")."""
    return creator_pseuds(work) if can_see_creators(work) else []


# --------------------------------------------------------------------------- querysets


LISTED = Q(posted=True, hidden=False, unrevealed=False)


def is_listed(work: Work) -> bool:
    """Whether the work may appear in listings, feeds and notices (see `listed_works`)."""
    return work.posted and not work.hidden and not work.unrevealed


def listed_works() -> QuerySet[Work]:
    """Works that may appear in listings at all (the search index holds exactly these);
    restricted ones among them are for logged-in readers (`WorkDoc.restricted`)."""
    return Work.objects.filter(LISTED)


def visible_q(viewer: Viewer, prefix: str = "") -> Q:
    """The rule as a condition on posted works (or, with `prefix="work__"`, on rows that
    point at one): `visible_works` and every join over works use this."""
    p = prefix
    seen = Q(**{f"{p}posted": True})
    if not viewer.is_authenticated:
        return seen & Q(**{f"{p}hidden": False, f"{p}unrevealed": False, f"{p}restricted": False})
    ref = OuterRef(f"{p}pk" if p else "pk")
    own = Q(Exists(Creatorship.objects.filter(work=ref, pseud__user=viewer, accepted=True)))
    steward = Q(Exists(WorkSteward.objects.filter(work=ref, user=viewer)))
    if not is_staff(viewer):
        seen &= Q(**{f"{p}hidden": False}) | own
    return seen & (Q(**{f"{p}unrevealed": False}) | own | steward)


def visible_works(viewer: Viewer) -> QuerySet[Work]:
    """Posted works this viewer may read: the rule above as a queryset (drafts are only
    ever reached one by one, by their creators, through `work_seen`)."""
    return Work.objects.filter(visible_q(viewer))


def visible_chapters(
    viewer: Viewer, work: Work, *, creator: bool | None = None
) -> QuerySet[Chapter]:
    """The chapters of a readable work this viewer may see, in order, each with the
    `number` this viewer is shown: its place among these chapters, not its position."""
    if creator is None:
        creator = is_creator(viewer, work)
    if creator:
        return work.chapters.numbered(drafts=True).order_by("position", "pk")
    return work.chapters.filter(posted=True).numbered().order_by("position", "pk")
