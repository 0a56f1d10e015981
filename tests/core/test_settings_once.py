"""Every setting is declared once, in polis/settings.py, and read as `settings.X`.

A `getattr(settings, "POLIS_X", default)` elsewhere repeats (and can contradict) the one
default in settings.py, and hides a setting that is not declared at all. Every .py file under
polis/ except settings.py is parsed with `ast`; any `getattr` with a default, `hasattr`, or
`getattr` with a literal name on `django.conf.settings` fails the test. Every environment
variable settings.py reads must have its row in README.md's Settings section, too.
"""

import ast
import re
from pathlib import Path

import polis

ROOT = Path(polis.__file__).parent
README = ROOT.parent / "README.md"


def _settings_names(tree: ast.AST) -> set[str]:
    """Local names bound to django.conf.settings in a module (`settings` unless aliased)."""
    names = {"settings"}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.conf":
            names |= {a.asname or a.name for a in node.names if a.name == "settings"}
    return names


def _is_settings(node: ast.expr, names: set[str]) -> bool:
    if isinstance(node, ast.Name):
        return node.id in names
    return isinstance(node, ast.Attribute) and node.attr == "settings"


def settings_lookups(source: str) -> list[tuple[int, str]]:
    """(line, code) of each lookup on settings that should be a plain `settings.X`."""
    tree = ast.parse(source)
    names = _settings_names(tree)
    found = []
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"getattr", "hasattr"}
            and node.args
            and _is_settings(node.args[0], names)
        ):
            continue
        literal_name = len(node.args) > 1 and isinstance(node.args[1], ast.Constant)
        if node.func.id == "hasattr" or len(node.args) > 2 or literal_name:
            found.append((node.lineno, ast.unparse(node)))
    return found


def test_lookups_finder_catches_defaults_and_aliases():
    source = (
        "from django.conf import settings\n"
        "from django.conf import settings as conf\n"
        "import django.conf\n"
        "a = getattr(settings, 'POLIS_X', 3)\n"
        "b = getattr(conf, NAMES[kind], None)\n"
        "c = hasattr(django.conf.settings, 'POLIS_Y')\n"
        "d = getattr(settings, 'POLIS_Z')\n"
        "e = settings.POLIS_X\n"
        "f = getattr(settings, name)\n"
        "g = getattr(other, 'POLIS_X', 3)\n"
    )
    assert [line for line, _ in settings_lookups(source)] == [4, 5, 6, 7]


def test_no_setting_is_read_with_a_default_outside_settings_py():
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        if path == ROOT / "settings.py" or "migrations" in path.parts:
            continue
        for line, code in settings_lookups(path.read_text()):
            found.append(f"{path.relative_to(ROOT.parent)}:{line}: {code}")
    assert found == [], "declare the setting in polis/settings.py and read settings.X"


def environment_variables(source: str) -> set[str]:
    """The variables settings.py reads: os.environ.get / [..], env_bool, env_list."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = ast.unparse(node.func)
            if func in {"os.environ.get", "os.getenv", "env_bool", "env_list"}:
                found.add(node.args[0].value)
        if (
            isinstance(node, ast.Subscript)
            and ast.unparse(node.value) == "os.environ"
            and isinstance(node.slice, ast.Constant)
        ):
            found.add(node.slice.value)
    return found


def test_every_environment_variable_has_a_row_in_the_readme_settings_table():
    text = README.read_text()
    section = text[text.index("## Settings") :]
    section = section[: section.index("\n## ", 1)]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    documented = {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row)}
    read = environment_variables((ROOT / "settings.py").read_text())
    assert "POLIS_HITS_STORE" in read  # the parse finds what settings.py reads
    assert sorted(read - documented) == []
