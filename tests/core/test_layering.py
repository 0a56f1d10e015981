"""Imports go downward only: no module of a lower app imports a module of a higher app.

Every .py file under polis/ (migrations excepted; management commands included) is parsed
with `ast`, and every import is checked, including those inside functions. Imports are not
the only way up: the ORM reaches a higher app's models through the names they add onto lower
models (`select_related("concealment")`, `filter(collection_items__…)`) and through model
strings (`"collections.Collection"`). Those are checked too, from Django's app registry.
The apps, bottom to top (apps on one level are peers and may not import each other either):

    core → accounts → tags → works → search → engagement | collections | downloads | feeds
    | opds → moderation | rights | imports | backups → api

A lower app that needs a higher app's answer owns a small hook the higher app registers
into from its AppConfig.ready (docs/adr/0003-hooks-between-apps.md). The imports below that
still cross the order are kept on purpose, each with its reason; an entry that is no longer
needed fails the test too, so the list only shrinks.
"""

import ast
import re
from pathlib import Path

from django.apps import apps

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
    "moderation": 6,
    "rights": 6,
    # Imports make drafts with comment settings (engagement) above the content apps.
    "imports": 6,
    # Backups read every app's tables through the app registry and check search's snapshot.
    "backups": 6,
    "api": 7,
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
    ("polis.works.orphaning", "polis.search.indexing"): _REINDEX,
    ("polis.works.views", "polis.search.service"): _PAGES_LIST_WORKS,
    ("polis.works.views", "polis.search.views"): _PAGES_LIST_WORKS,
    ("polis.works.series_views", "polis.search.service"): _PAGES_LIST_WORKS,
    # peers
    ("polis.collections.notices", "polis.engagement.models"): _ASSIGNMENT_NOTICES,
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


# --- ORM references ---------------------------------------------------------------------
# A higher app's model with a ForeignKey to works.Work adds a name onto Work (its
# related_name, related_query_name or the default model name). Code in works that uses that
# name in a lookup reads the higher app's table without importing it.

# Calls whose positional string arguments are lookups (field paths split on "__").
LOOKUP_ARGUMENTS = {
    "select_related", "prefetch_related", "values", "values_list", "order_by", "only",
    "defer", "distinct", "annotate", "aggregate", "filter", "exclude", "Prefetch",
    "FilteredRelation", "F", "Q", "OuterRef", "Count", "Sum", "Min", "Max", "Avg",
}  # fmt: skip
# Calls whose keyword names are lookups.
LOOKUP_KEYWORDS = {"filter", "exclude", "get", "Q", "When", "get_or_create", "update_or_create"}
_MODEL_STRING = re.compile(r"^([a-z_]+)\.([A-Za-z]\w*)$")

# (module, relation name or model string) → why it is still there. Like ALLOWED, an entry
# that is no longer needed fails the test.
ALLOWED_ORM: dict[tuple[str, str], str] = {
    ("polis.tags.models", "works.Work"): _TAGS_AND_WORKS,
    ("polis.tags.selectors", "taggings"): _TAGS_AND_WORKS,
}


def _above(other: str, app: str) -> bool:
    """Is `other` an app that `app` may not reach: higher, or a peer?"""
    return other != app and other in LEVELS and LEVELS[other] >= LEVELS[app]


def _upward_relations() -> dict[str, dict[str, str]]:
    """For each app: the relation names it must not use in a lookup, each with where it
    comes from ("collections.Concealment onto works.Work").

    A name counts when a higher app's (or a peer's) model adds it onto a model the app may
    query: its own or a lower app's. A name that is also a legitimate field or relation of
    such a model (declared within the app's reach) is left out: a string alone cannot say
    which one is meant, and the import check already sees the other side."""
    upward: dict[str, dict[str, str]] = {app: {} for app in LEVELS}
    legal: dict[str, set[str]] = {app: set() for app in LEVELS}
    for model in apps.get_models():
        home = model._meta.app_label
        if home not in LEVELS:
            continue
        for field in model._meta.get_fields(include_hidden=True):
            reverse = field.is_relation and field.auto_created and not field.concrete
            declared_in = field.related_model._meta.app_label if reverse else home
            names = {field.name}
            if reverse:
                names.add(field.get_accessor_name() or field.name)
            names = {name for name in names if name and not name.endswith("+")}
            for app in LEVELS:
                if LEVELS[home] > LEVELS[app] or (LEVELS[home] == LEVELS[app] and home != app):
                    continue  # the app cannot query this model at all
                if reverse and _above(declared_in, app):
                    for name in names:
                        upward[app][name] = (
                            f"{field.related_model._meta.label} onto {model._meta.label}"
                        )
                else:
                    legal[app].update(names)
    return {
        app: {name: where for name, where in names.items() if name not in legal[app]}
        for app, names in upward.items()
    }


def _higher_models() -> dict[str, set[str]]:
    """For each app: the "app_label.Model" strings (lowercase) of the models it may not name."""
    found: dict[str, set[str]] = {app: set() for app in LEVELS}
    for model in apps.get_models():
        for app in LEVELS:
            if _above(model._meta.app_label, app):
                found[app].add(model._meta.label_lower)
    return found


def _call_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _orm_references(
    path: Path, relations: dict[str, str], models: set[str]
) -> set[tuple[str, str]]:
    """(name, description) for every upward lookup or model string in the file: `relations`
    maps the forbidden relation names to their origin, `models` holds the forbidden
    "app_label.model" strings."""
    found: set[tuple[str, str]] = set()

    def lookup(value: str, line: int, call: str, keyword: bool = False) -> None:
        shown = f"{value}=…" if keyword else repr(value)
        for segment in value.lstrip("-").split("__"):
            if segment in relations:
                found.add((segment, f"line {line}: {call}({shown}) uses {relations[segment]}"))

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            match = _MODEL_STRING.match(node.value)
            if match and node.value.lower() in models:
                found.add((node.value, f"line {node.lineno}: names the model {node.value}"))
        if not isinstance(node, ast.Call):
            continue
        name = _call_name(node)
        strings = [
            arg.value
            for arg in node.args
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
        ]
        if name == "get_model" and len(strings) == 2:
            model = ".".join(strings)
            if model.lower() in models:
                found.add((model, f"line {node.lineno}: get_model({model!r})"))
        if name in LOOKUP_ARGUMENTS:
            for value in strings:
                lookup(value, node.lineno, name)
        if name in LOOKUP_KEYWORDS:
            for keyword in node.keywords:
                if keyword.arg:
                    lookup(keyword.arg, node.lineno, name, keyword=True)
    return found


def _orm_crossings() -> dict[tuple[str, str], list[str]]:
    """(module, name) → where the module uses a higher app's relation or model by name."""
    relations, models = _upward_relations(), _higher_models()
    crossings: dict[tuple[str, str], list[str]] = {}
    for module, path in _modules():
        app = _app(module) if module != "polis" else "__init__"
        if app in PROJECT_MODULES or app not in LEVELS:
            continue
        for name, where in _orm_references(path, relations[app], models[app]):
            crossings.setdefault((module, name), []).append(where)
    return crossings


def test_no_app_reaches_a_higher_app_through_the_orm():
    unexpected = sorted(
        f"{module}: {where}"
        for (module, name), wheres in _orm_crossings().items()
        if (module, name) not in ALLOWED_ORM
        for where in wheres
    )
    assert unexpected == [], (
        "A lower app reads a higher app's rows by relation name or model string. Ask the "
        "higher app through a hook instead (docs/adr/0003-hooks-between-apps.md):\n"
        + "\n".join(unexpected)
    )


def test_every_allowed_orm_reference_still_exists():
    stale = sorted(f"{a}: {b}" for a, b in set(ALLOWED_ORM) - set(_orm_crossings()))
    assert stale == [], "These references are gone; remove them from ALLOWED_ORM:\n" + "\n".join(
        stale
    )


def test_the_orm_check_sees_lookups_relation_names_and_model_strings(tmp_path):
    source = tmp_path / "selectors.py"
    source.write_text(
        "from django.db.models import F, Prefetch, Q\n"
        "def f(works):\n"
        "    works = works.select_related('concealment').filter(title='x')\n"
        "    works = works.prefetch_related(Prefetch('collection_items', queryset=None))\n"
        "    works = works.filter(Q(collectionitem__status='approved') | Q(pk=1))\n"
        "    works = works.values('concealment__anonymous').order_by('-kudos__created_at')\n"
        "    works = works.exclude(chapters__kudos__isnull=True).annotate(k=F('pk'))\n"
        "    works = works.annotate(a=Case(When(concealment__anonymous=True, then=1)))\n"
        "    other = apps.get_model('collections', 'Collection')\n"
        "    return models.ForeignKey('collections.Collection', on_delete=None)\n"
    )
    relations = {
        "concealment": "collections.Concealment onto works.Work",
        "collection_items": "collections.CollectionItem onto works.Work",
        "collectionitem": "collections.CollectionItem onto works.Work",
        "kudos": "engagement.Kudos onto works.Work",
    }
    found = _orm_references(source, relations, {"collections.collection"})
    assert found == {
        ("concealment", "line 3: select_related('concealment') uses " + relations["concealment"]),
        (
            "collection_items",
            "line 4: Prefetch('collection_items') uses " + relations["collection_items"],
        ),
        (
            "collectionitem",
            "line 5: Q(collectionitem__status=…) uses " + relations["collectionitem"],
        ),
        (
            "concealment",
            "line 6: values('concealment__anonymous') uses " + relations["concealment"],
        ),
        ("kudos", "line 6: order_by('-kudos__created_at') uses " + relations["kudos"]),
        ("kudos", "line 7: exclude(chapters__kudos__isnull=…) uses " + relations["kudos"]),
        (
            "concealment",
            "line 8: When(concealment__anonymous=…) uses " + relations["concealment"],
        ),
        ("collections.Collection", "line 9: get_model('collections.Collection')"),
        ("collections.Collection", "line 10: names the model collections.Collection"),
    }


def test_the_registry_gives_works_the_names_collections_and_engagement_add_to_it():
    relations = _upward_relations()
    assert relations["works"]["gifts"] == "collections.Gift onto works.Work"
    assert relations["works"]["collection_items"] == "collections.CollectionItem onto works.Work"
    assert relations["tags"]["taggings"] == "works.Tagging onto tags.Tag"
    assert "gifts" not in relations["collections"]  # its own relation
    assert "chapters" not in relations["tags"]  # a works model's own field, not a tags one
    assert "collections.collection" in _higher_models()["works"]
    assert "works.work" not in _higher_models()["search"]
