"""Imports go downward only: no module of a lower app imports a module of a higher app.

Every .py file under polis/ (migrations excepted; management commands included) is parsed
with `ast`, and every import is checked, including those inside functions. The apps, bottom
to top (apps on one level are peers and may not import each other either):

    core → accounts → tags → works → search → engagement | collections | downloads | feeds
    | opds → api

A lower app that needs a higher app's answer owns a small hook the higher app registers
into from its AppConfig.ready (docs/adr/0003-hooks-between-apps.md). The imports below that
still cross the order are kept on purpose, each with its reason; an entry that is no longer
needed fails the test too, so the list only shrinks.
"""

import ast
from pathlib import Path

import polis

ROOT = Path(polis.__file__).parent

LEVELS = {
    "core": 0,
    "accounts": 1,
    "tags": 2,
    "works": 3,
    "search": 4,
    "engagement": 5,
    "collections": 5,
    "downloads": 5,
    "feeds": 5,
    "opds": 5,
    "api": 6,
}
# The project's own modules wire every app together (settings, URLs, the `polis` command).
PROJECT_MODULES = {"settings", "urls", "wsgi", "asgi", "cli", "__init__"}

_PAGES_LIST_WORKS = (
    "A page of a lower app lists works through search. Views are the request layer, above "
    "every app's selectors (ARCHITECTURE.md, Layers), so this is downward in that diagram."
)
_TAGS_AND_WORKS = (
    "Filter sets and taggings are rows per work: tags reads works' Tagging/Creatorship rows "
    "to compute and bin them. The models are one concept split over two apps."
)
_REINDEX = (
    "A write reindexes explicitly (ARCHITECTURE.md: an action calls what must follow, no "
    "callbacks); the search index is the layer under the models in ARCHITECTURE's diagram."
)
_ANONYMITY = (
    "Peer import: notices and feeds ask collections whether a work is anonymous or "
    "unrevealed (is_anonymous, ANONYMOUS). Could move to polis.works.policies later."
)
_ASSIGNMENT_NOTICES = (
    "Peer import: challenge notices (assignments, defaults) go to the same inbox "
    "(engagement's Notification) as every other notice."
)
_OPDS_REUSES = (
    "Peer import: the OPDS catalog is another face of existing features; it links and serves "
    "the downloads' formats and lists engagement's bookmarks and Marked for Later."
)

ALLOWED: dict[tuple[str, str], str] = {
    # accounts → works, search
    ("polis.accounts.selectors", "polis.works.models"): _TAGS_AND_WORKS,
    ("polis.accounts.views", "polis.search.query"): _PAGES_LIST_WORKS,
    ("polis.accounts.views", "polis.search.service"): _PAGES_LIST_WORKS,
    ("polis.accounts.views", "polis.search.views"): _PAGES_LIST_WORKS,
    ("polis.accounts.views", "polis.works.access"): _PAGES_LIST_WORKS,
    ("polis.accounts.views", "polis.works.selectors"): _PAGES_LIST_WORKS,
    # tags → works, search
    ("polis.tags.filters", "polis.works.models"): _TAGS_AND_WORKS,
    ("polis.tags.selectors", "polis.works.models"): _TAGS_AND_WORKS,
    ("polis.tags.selectors", "polis.search.query"): _PAGES_LIST_WORKS,
    ("polis.tags.selectors", "polis.search.service"): _PAGES_LIST_WORKS,
    ("polis.tags.views", "polis.search.service"): _PAGES_LIST_WORKS,
    ("polis.tags.views", "polis.search.views"): _PAGES_LIST_WORKS,
    ("polis.tags.wrangling", "polis.search.indexing"): _REINDEX,
    # works → search
    ("polis.works.actions", "polis.search.indexing"): _REINDEX,
    ("polis.works.views", "polis.search.query"): _PAGES_LIST_WORKS,
    ("polis.works.views", "polis.search.service"): _PAGES_LIST_WORKS,
    ("polis.works.views", "polis.search.views"): _PAGES_LIST_WORKS,
    ("polis.works.series_views", "polis.search.service"): _PAGES_LIST_WORKS,
    # peers
    ("polis.collections.notices", "polis.engagement.models"): _ASSIGNMENT_NOTICES,
    ("polis.engagement.anonymous_creators", "polis.collections.anonymity"): _ANONYMITY,
    ("polis.engagement.notifications", "polis.collections.anonymity"): _ANONYMITY,
    ("polis.feeds.feeds", "polis.collections.anonymity"): _ANONYMITY,
    ("polis.opds.catalog", "polis.collections.anonymity"): _ANONYMITY,
    ("polis.opds.atom", "polis.downloads.preface"): _OPDS_REUSES,
    ("polis.opds.catalog", "polis.downloads.formats"): _OPDS_REUSES,
    ("polis.opds.catalog", "polis.downloads.preface"): _OPDS_REUSES,
    ("polis.opds.urls", "polis.downloads.formats"): _OPDS_REUSES,
    ("polis.opds.views", "polis.downloads.views"): _OPDS_REUSES,
    ("polis.opds.selectors", "polis.engagement.bookmarks"): _OPDS_REUSES,
    ("polis.opds.selectors", "polis.engagement.reading"): _OPDS_REUSES,
    # opds → api
    ("polis.opds.auth", "polis.api.auth"): (
        "E-reader apps log in with the API's personal tokens, checked by the API's own "
        "authenticator so a revoked token stops everywhere at once. Tokens could move to "
        "accounts; until then this is the one import of api from below."
    ),
}


def _modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if "migrations" in parts:
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found.append((".".join(("polis", *parts)), path))
    return found


def _imported(module: str, path: Path) -> set[str]:
    """Every polis name this file imports, at any depth, relative imports resolved:
    `import a.b` gives "a.b", `from a import b` gives "a.b" (a module or a name in a)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in names if name.startswith("polis.")}


def _app(module: str) -> str:
    return module.split(".")[1]


def _crossings() -> set[tuple[str, str]]:
    """(importing module, imported module) for every import of a higher app or a peer."""
    modules = dict(_modules())
    crossings = set()
    for module, path in modules.items():
        app = _app(module) if module != "polis" else "__init__"
        if app in PROJECT_MODULES or app not in LEVELS:  # see the test just below
            continue
        for name in _imported(module, path):
            if name not in modules:  # a function or class: judge the module it comes from
                name = name.rpartition(".")[0]
            other = _app(name)
            if other != app and other in LEVELS and LEVELS[other] >= LEVELS[app]:
                crossings.add((module, name))
    return crossings


def test_every_app_has_a_place_in_the_order():
    apps = {path.name for path in ROOT.iterdir() if (path / "__init__.py").exists()}
    assert apps - set(LEVELS) == set(), "Add the new app to LEVELS (and to ADR 0003)."


def test_no_app_imports_a_higher_app_or_a_peer():
    unexpected = sorted(
        f"{importer} imports {imported}"
        for importer, imported in _crossings()
        if (importer, imported) not in ALLOWED
    )
    assert unexpected == [], (
        "Imports go downward only. Give the lower app a hook the higher app registers into "
        "from its AppConfig.ready (docs/adr/0003-hooks-between-apps.md):\n" + "\n".join(unexpected)
    )


def test_every_allowed_crossing_still_exists():
    stale = sorted(f"{a} → {b}" for a, b in set(ALLOWED) - set(_crossings()))
    assert stale == [], "These imports are gone; remove them from ALLOWED:\n" + "\n".join(stale)


def test_the_check_sees_imports_inside_functions(tmp_path):
    source = tmp_path / "access.py"
    source.write_text(
        "def f():\n    from polis.collections.access import hide_unrevealed\n"
        "    from . import models\n    from ..engagement import relations\n"
        "import django.db\n"
    )
    assert _imported("polis.works.access", source) == {
        "polis.collections.access.hide_unrevealed",
        "polis.works.models",
        "polis.engagement.relations",
    }
