"""Who may see or change a work: the one place that decides, for pages, API and downloads.

Hidden and missing look the same (404). The one exception AO3 readers rely on: a restricted
work asked for by a logged-out reader answers with the registered-users message, which says
nothing about the work itself.
"""

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from polis.accounts.models import User
from polis.works.models import Chapter, Creatorship, Work
from polis.works.policies import hidden_from, hide_works


class RestrictedWork(Exception):
    """A logged-out reader asked for a work that only registered users may read."""


def _creator_exists(user: User, work_ref: str = "pk") -> Exists:
    return Exists(
        Creatorship.objects.filter(work=OuterRef(work_ref), pseud__user=user, accepted=True)
    )


def visible_works(user: User) -> QuerySet[Work]:
    """Posted works this viewer may see in any listing, count, feed or search."""
    works = Work.objects.filter(posted=True)
    if not user.is_authenticated:
        works = works.filter(restricted=False)
    # Unrevealed works in collections (registered by collections, see polis.works.policies).
    return hide_works(works, user)


def is_creator(user: User, work: Work) -> bool:
    if not user.is_authenticated:
        return False
    return Creatorship.objects.filter(work=work, pseud__user=user, accepted=True).exists()


def is_invited_creator(user: User, work: Work) -> bool:
    if not user.is_authenticated:
        return False
    return Creatorship.objects.filter(work=work, pseud__user=user, accepted=False).exists()


def access_work_for_view(user: User, work_id: int) -> Work:
    """The work if this viewer may read it; Http404 if missing or hidden."""
    work = Work.objects.filter(pk=work_id).first()
    if work is None:
        raise Http404("No such work.")
    if not work.posted:
        if is_creator(user, work):
            return work
        raise Http404("No such work.")
    if work.restricted and not user.is_authenticated:
        raise RestrictedWork()
    # Concealment is collections' concept; it answers through polis.works.policies.
    if hidden_from(user, work):
        raise Http404("No such work.")
    return work


def access_work_for_edit(user: User, work_id: int) -> Work:
    """The work if this user is one of its (accepted) creators; Http404 otherwise."""
    work = Work.objects.filter(pk=work_id).first()
    if work is None or not is_creator(user, work):
        raise Http404("No such work.")
    return work


def access_creatorship_invitation(user: User, work_id: int) -> Creatorship:
    """A pending co-creator invitation addressed to this user."""
    if not user.is_authenticated:
        raise Http404("No such invitation.")
    invitation = Creatorship.objects.filter(
        work_id=work_id, pseud__user=user, accepted=False
    ).first()
    if invitation is None:
        raise Http404("No such invitation.")
    return invitation


def visible_chapters(user: User, work: Work) -> QuerySet[Chapter]:
    """The chapters of a readable work this viewer may see, in order, each with the
    `number` this viewer is shown: its place among these chapters, not its position."""
    if is_creator(user, work):
        return work.chapters.numbered(drafts=True).order_by("position", "pk")
    return work.chapters.filter(posted=True).numbered().order_by("position", "pk")


def access_chapter_for_view(user: User, work: Work, chapter_id: int) -> Chapter:
    chapter = visible_chapters(user, work).filter(pk=chapter_id).first()
    if chapter is None:
        raise Http404("No such chapter.")
    return chapter


def access_chapter_for_edit(user: User, work: Work, chapter_id: int) -> Chapter:
    """A chapter of a work already checked with access_work_for_edit (numbered among all)."""
    chapter = work.chapters.numbered(drafts=True).filter(pk=chapter_id).first()
    if chapter is None:
        raise Http404("No such chapter.")
    return chapter


def drafts_of(user: User) -> QuerySet[Work]:
    """A user's own drafts; nobody else's are ever listed."""
    if not user.is_authenticated:
        return Work.objects.none()
    return Work.objects.filter(posted=False).filter(_creator_exists(user))
