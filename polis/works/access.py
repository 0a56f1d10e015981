"""Works a request names, fetched through the one rule (`polis.works.visibility`).

Hidden and missing look the same (404). The one exception AO3 readers rely on: a restricted
work asked for by a logged-out reader answers with the registered-users message, which says
nothing about the work itself.
"""

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from polis.accounts.models import User
from polis.works.models import Chapter, Creatorship, Work
from polis.works.visibility import Seen, is_creator, visible_chapters, visible_works, work_seen

__all__ = [
    "RestrictedWork",
    "access_chapter_for_edit",
    "access_chapter_for_view",
    "access_creatorship_invitation",
    "access_work_for_edit",
    "access_work_for_view",
    "drafts_of",
    "is_creator",
    "is_invited_creator",
    "visible_chapters",
    "visible_works",
]


class RestrictedWork(Exception):
    """A logged-out reader asked for a work that only registered users may read."""


def _creator_exists(user: User, work_ref: str = "pk") -> Exists:
    return Exists(
        Creatorship.objects.filter(work=OuterRef(work_ref), pseud__user=user, accepted=True)
    )


def is_invited_creator(user: User, work: Work) -> bool:
    if not user.is_authenticated:
        return False
    return Creatorship.objects.filter(work=work, pseud__user=user, accepted=False).exists()


def access_work_for_view(user: User, work_id: int) -> Work:
    """The work if this viewer may read it; Http404 if missing or hidden."""
    work = Work.objects.filter(pk=work_id).first()
    if work is None:
        raise Http404("No such work.")
    seen = work_seen(user, work)
    if seen == Seen.RESTRICTED:
        raise RestrictedWork()
    if seen == Seen.HIDDEN:
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
