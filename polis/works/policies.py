"""What other apps decide about works, asked by works without importing those apps.

Collections sit above works (they import works), yet they decide two things every surface
must respect: some works are hidden until their collection reveals them, and some bylines
name no one ("Anonymous"). Collections register both from `CollectionsConfig.ready`; with
nothing registered every posted work is listed and every byline names its creators. See
docs/adr/0003-hooks-between-apps.md.
"""

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from polis.accounts.models import Pseud, User
from polis.works.models import Work, creator_pseuds

Viewer = User | AnonymousUser
HideWorks = Callable[[QuerySet[Work], Viewer], QuerySet[Work]]
HiddenFrom = Callable[[Viewer, Work], bool]
BylinePseuds = Callable[[Work], list[Pseud]]


def _hide_nothing(works: QuerySet[Work], viewer: Viewer) -> QuerySet[Work]:
    return works


def _hidden_from_no_one(viewer: Viewer, work: Work) -> bool:
    return False


_hide_works: HideWorks = _hide_nothing
_hidden_from: HiddenFrom = _hidden_from_no_one
_byline_pseuds: BylinePseuds = creator_pseuds


def register_visibility(*, hide_works: HideWorks, hidden_from: HiddenFrom) -> None:
    """Called from an AppConfig.ready; the two must agree (a work one hides, the other
    reports hidden). Registering again replaces them."""
    global _hide_works, _hidden_from
    _hide_works, _hidden_from = hide_works, hidden_from


def register_byline(byline: BylinePseuds) -> None:
    """Called from an AppConfig.ready; registering again replaces it."""
    global _byline_pseuds
    _byline_pseuds = byline


def hide_works(works: QuerySet[Work], viewer: Viewer) -> QuerySet[Work]:
    """`works` without those hidden from this viewer by another app (unrevealed works)."""
    return _hide_works(works, viewer)


def hidden_from(viewer: Viewer, work: Work) -> bool:
    """Whether another app hides this posted work from this viewer (answer 404)."""
    return _hidden_from(viewer, work)


def byline_pseuds(work: Work) -> list[Pseud]:
    """The pseuds a byline names: none when the work's creators are hidden ("Anonymous")."""
    return _byline_pseuds(work)
