"""What works decides about tags, asked by tags without importing works' access rules.

Works sit above tags, yet which works a viewer may see decides which tags that viewer may
see: a tag nobody wrangled is shown only when a work the viewer may see carries it, so a
tag typed on a draft or on a restricted work never leaks its name. Works registers
`polis.works.visibility.visible_works` from `WorksConfig.ready`; with nothing registered no work
counts, and only the public vocabulary (canonical tags, synonyms, fixed tags) is shown. See
docs/adr/0003-hooks-between-apps.md.
"""

from collections.abc import Callable

from django.db.models import QuerySet

from polis.accounts.hooks import Viewer

VisibleWorks = Callable[[Viewer], QuerySet]

_visible_works: VisibleWorks | None = None


def register_visible_works(visible_works: VisibleWorks) -> None:
    """Called from an AppConfig.ready; registering again replaces it."""
    global _visible_works
    _visible_works = visible_works


def visible_works(viewer: Viewer) -> QuerySet | None:
    """The works this viewer may see (a queryset), or None when no app answers."""
    return _visible_works(viewer) if _visible_works is not None else None
