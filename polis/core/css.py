"""The one CSS sanitizer: creators' work skins, parsed by tinycss2, kept to AO3's subset and
scoped under #workskin.

Nothing is repaired quietly: every rule, selector, property or value outside the subset is an
error that says where it is and what to change, and a skin with errors is not saved. What is
saved is this module's own serialization of the parsed rules, never the creator's bytes, so
comments, escapes and odd spacing cannot smuggle anything past it.

- properties: an allowlist (PROPERTIES); no custom properties, no `var()`;
- values: identifiers, numbers, colours, strings, and the functions in FUNCTIONS; `url()` only
  to the archive's own images (IMAGE_PATH); `position` never `fixed` or `sticky`;
- at-rules: `@media` only (no `@import`, `@font-face`, `@namespace`, `@keyframes`...);
- selectors: every one is prefixed with `#workskin ` (a leading `#workskin` is kept once);
  `html`, `body`, `:root`, `:host`, `:scope` and selectors that start with a combinator are
  refused, since they mean the page around the work;
- the rules on `#workskin` itself may not move or size it (CONTAINER_FORBIDDEN), and the page
  adds `contain: paint` to it (CONTAINMENT), so nothing a skin does paints outside the work.
"""

import re
from dataclasses import dataclass

import tinycss2
from tinycss2 import ast

MAX_LENGTH = 100_000
MAX_DEPTH = 12  # brackets and functions inside one another
SCOPE = "#workskin"
CONTAINMENT = f"{SCOPE} {{ contain: paint; }}\n"

_SIDES = ("top", "right", "bottom", "left")
PROPERTIES: frozenset[str] = frozenset(
    {
        "background", "background-color", "background-image", "background-position",
        "background-repeat", "background-size", "background-clip", "background-origin",
        "border", "border-collapse", "border-color", "border-radius", "border-spacing",
        "border-style", "border-width", "box-shadow", "box-sizing", "caption-side", "clear",
        "color", "column-count", "column-gap", "column-rule", "column-width", "columns",
        "content", "cursor", "direction", "display", "empty-cells", "float", "font",
        "font-family", "font-size", "font-style", "font-variant", "font-weight", "height",
        "letter-spacing", "line-height", "list-style", "list-style-image",
        "list-style-position", "list-style-type", "margin", "max-height", "max-width",
        "min-height", "min-width", "opacity", "outline", "outline-color", "outline-offset",
        "outline-style", "outline-width", "overflow", "overflow-wrap", "overflow-x",
        "overflow-y", "padding", "position", "quotes", "table-layout", "text-align",
        "text-decoration", "text-decoration-color", "text-decoration-line",
        "text-decoration-style", "text-indent", "text-shadow", "text-transform", "transform",
        "transform-origin", "unicode-bidi", "vertical-align", "visibility", "white-space",
        "width", "word-break", "word-spacing", "word-wrap", "writing-mode", "z-index",
        "flex", "flex-basis", "flex-direction", "flex-flow", "flex-grow", "flex-shrink",
        "flex-wrap", "align-content", "align-items", "align-self", "justify-content", "order",
        "gap", "row-gap", "grid-template-columns", "grid-template-rows", "grid-column",
        "grid-row", "grid-gap", "font-stretch", "hyphens", "text-align-last",
    }
    | {f"{box}-{side}" for box in ("margin", "padding", "border") for side in _SIDES}
    | {f"border-{side}-{part}" for side in _SIDES for part in ("color", "style", "width")}
    | {f"border-{v}-{h}-radius" for v in ("top", "bottom") for h in ("left", "right")}
    | set(_SIDES)
)  # fmt: skip
FUNCTIONS: frozenset[str] = frozenset(
    {
        "rgb", "rgba", "hsl", "hsla", "calc", "min", "max", "clamp", "linear-gradient",
        "radial-gradient", "repeating-linear-gradient", "repeating-radial-gradient", "url",
        "rotate", "rotatex", "rotatey", "scale", "scalex", "scaley", "translate",
        "translatex", "translatey", "skew", "skewx", "skewy", "matrix", "counter",
        "counters", "repeat", "minmax", "fit-content",
    }
)  # fmt: skip
SELECTOR_FUNCTIONS: frozenset[str] = frozenset(
    {
        "not", "is", "where", "nth-child", "nth-last-child", "nth-of-type",
        "nth-last-of-type", "lang", "dir",
    }
)  # fmt: skip
OUTSIDE_THE_WORK: frozenset[str] = frozenset({"html", "body"})
OUTSIDE_PSEUDO: frozenset[str] = frozenset({"root", "host", "scope", "host-context"})
CONTAINER_FORBIDDEN: frozenset[str] = frozenset(
    {"position", "transform", "z-index", "float", "width", "height", "min-width",
     "min-height", "display", "opacity", "visibility"}
    | {"margin", *(f"margin-{side}" for side in _SIDES)}
    | set(_SIDES)
)  # fmt: skip
# The archive's own images: root-relative paths under /static/ or /media/, plain characters.
IMAGE_PATH = re.compile(r"^/(?:static|media)/(?!.*\.\.)[A-Za-z0-9._~%/-]+$")
_VALUE_LITERALS = frozenset({",", "/", "%", "+", "-", "*", "!"})
_SELECTOR_LITERALS = frozenset({".", ",", ">", "+", "~", ":", "*", "=", "|", "^", "$", "-"})


class CssError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass
class _Checker:
    problems: list[str]

    def fail(self, node, message: str) -> None:
        line = getattr(node, "source_line", None)
        self.problems.append(f"Line {line}: {message}" if line else message)


def _string(value: str) -> str:
    """A CSS string that closes no tag and no quote, whatever it holds."""
    out = []
    for char in value:
        if char in '"\\<>&' or ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\{ord(char):x} ")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _url_ok(url: str) -> bool:
    return bool(IMAGE_PATH.match(url)) and "\\" not in url


def _too_deep(depth: int, check: _Checker, node) -> bool:
    if depth > MAX_DEPTH:
        check.fail(node, f"Brackets are nested more than {MAX_DEPTH} deep.")
        return True
    return False


def _value(tokens, check: _Checker, node, depth: int = 0) -> str | None:
    """The serialization of a declaration's value, or None after reporting why not."""
    if _too_deep(depth, check, node):
        return None
    out = []
    for token in tokens:
        if isinstance(token, ast.Comment):
            continue
        if isinstance(token, ast.WhitespaceToken):
            out.append(" ")
        elif isinstance(token, ast.IdentToken):
            if token.value.startswith("--"):
                check.fail(token, "Custom properties (--name) are not allowed.")
                return None
            out.append(tinycss2.serialize([token]))
        elif isinstance(
            token, (ast.NumberToken, ast.PercentageToken, ast.DimensionToken, ast.HashToken)
        ):
            out.append(tinycss2.serialize([token]))
        elif isinstance(token, ast.StringToken):
            out.append(_string(token.value))
        elif isinstance(token, ast.URLToken):
            if not _url_ok(token.value):
                check.fail(token, f"url({token.value}) is not one of the archive's own images.")
                return None
            out.append(f"url({_string(token.value)})")
        elif isinstance(token, ast.FunctionBlock):
            name = token.lower_name
            if name not in FUNCTIONS:
                check.fail(token, f"The function {name}() is not allowed.")
                return None
            if name == "url":
                args = [
                    t
                    for t in token.arguments
                    if not isinstance(t, (ast.WhitespaceToken, ast.Comment))
                ]
                if len(args) != 1 or not isinstance(args[0], ast.StringToken):
                    check.fail(token, "url() takes one address.")
                    return None
                if not _url_ok(args[0].value):
                    check.fail(
                        token, f"url({args[0].value}) is not one of the archive's own images."
                    )
                    return None
                out.append(f"url({_string(args[0].value)})")
                continue
            inner = _value(token.arguments, check, node, depth + 1)
            if inner is None:
                return None
            out.append(f"{name}({inner})")
        elif isinstance(token, ast.LiteralToken) and token.value in _VALUE_LITERALS:
            out.append(token.value)
        elif isinstance(token, ast.ParenthesesBlock):
            inner = _value(token.content, check, node, depth + 1)
            if inner is None:
                return None
            out.append(f"({inner})")
        else:
            shown = tinycss2.serialize([token])[:20]
            check.fail(token, f"“{shown}” is not allowed in a value.")
            return None
    return "".join(out).strip()


def _declarations(content, check: _Checker, *, container: bool) -> list[str]:
    out = []
    for decl in tinycss2.parse_blocks_contents(content, skip_comments=True, skip_whitespace=True):
        if isinstance(decl, ast.ParseError):
            check.fail(decl, f"This declaration could not be read ({decl.message}).")
            continue
        if not isinstance(decl, ast.Declaration):
            check.fail(decl, "Rules cannot be nested inside a rule.")
            continue
        name = decl.lower_name
        if name.startswith("--"):
            check.fail(decl, "Custom properties (--name) are not allowed.")
            continue
        if name not in PROPERTIES:
            check.fail(decl, f"The property “{name}” is not allowed.")
            continue
        if container and name in CONTAINER_FORBIDDEN:
            check.fail(decl, f"“{name}” cannot be set on #workskin itself, only inside it.")
            continue
        value = _value(decl.value, check, decl)
        if value is None:
            continue
        if not value:
            check.fail(decl, f"“{name}” has no value.")
            continue
        if name == "position" and value.lower() not in ("static", "relative", "absolute"):
            check.fail(decl, "position may be static, relative or absolute.")
            continue
        out.append(f"{name}: {value}{' !important' if decl.important else ''};")
    return out


def _compound(tokens, check: _Checker, rule, depth: int = 0) -> str | None:
    """One selector (no top-level comma) checked and serialized, without its scope."""
    if _too_deep(depth, check, rule):
        return None
    out = []
    previous = None
    for token in tokens:
        if isinstance(token, ast.Comment):
            continue
        if isinstance(token, ast.WhitespaceToken):
            if out and out[-1] != " ":
                out.append(" ")
        elif isinstance(token, ast.IdentToken):
            after = previous.value if isinstance(previous, ast.LiteralToken) else None
            if after == ":" and token.lower_value in OUTSIDE_PSEUDO:
                check.fail(rule, f"“:{token.lower_value}” is the page, not the work.")
                return None
            if after not in (".", ":", "|") and token.lower_value in OUTSIDE_THE_WORK:
                check.fail(rule, f"“{token.lower_value}” is the page, not the work.")
                return None
            out.append(tinycss2.serialize([token]))
        elif isinstance(token, ast.HashToken):
            out.append(tinycss2.serialize([token]))
        elif isinstance(token, ast.LiteralToken) and token.value in _SELECTOR_LITERALS:
            out.append(token.value)
        elif isinstance(token, (ast.NumberToken, ast.DimensionToken)):
            out.append(tinycss2.serialize([token]))
        elif isinstance(token, ast.SquareBracketsBlock):
            inner = []
            for part in token.content:
                if isinstance(part, ast.StringToken):
                    inner.append(_string(part.value))
                elif isinstance(part, (ast.IdentToken, ast.WhitespaceToken)) or (
                    isinstance(part, ast.LiteralToken) and part.value in _SELECTOR_LITERALS
                ):
                    inner.append(tinycss2.serialize([part]))
                else:
                    check.fail(rule, "This attribute selector is not allowed.")
                    return None
            out.append("[" + "".join(inner) + "]")
        elif isinstance(token, ast.FunctionBlock) and token.lower_name in SELECTOR_FUNCTIONS:
            inner = _compound(token.arguments, check, rule, depth + 1)
            if inner is None:
                return None
            out.append(f"{token.lower_name}({inner.strip()})")
        else:
            shown = tinycss2.serialize([token])[:20]
            check.fail(rule, f"“{shown}” is not allowed in a selector.")
            return None
        if not isinstance(token, ast.WhitespaceToken):
            previous = token
    return "".join(out).strip()


def _selectors(prelude, check: _Checker, rule) -> tuple[list[str], bool] | None:
    """The rule's selectors under #workskin, and whether one is #workskin itself."""
    groups: list[list] = [[]]
    for token in prelude:
        if isinstance(token, ast.LiteralToken) and token.value == ",":
            groups.append([])
        else:
            groups[-1].append(token)
    scoped = []
    container = False
    for group in groups:
        text = _compound(group, check, rule)
        if text is None:
            return None
        if not text:
            check.fail(rule, "A selector is empty.")
            return None
        if text.lower() == SCOPE.lower() or text.lower().startswith(SCOPE.lower() + " "):
            text = text[len(SCOPE) :].strip()
        elif text.lower().startswith(SCOPE.lower()):
            check.fail(rule, "Write #workskin alone or followed by a space.")
            return None
        if text[:1] in ("+", "~"):
            check.fail(rule, f"“{text[:1]}” here would reach outside #workskin.")
            return None
        if not text:
            container = True
            scoped.append(SCOPE)
        else:
            scoped.append(f"{SCOPE} {text}")
    return scoped, container


def _rules(rules, check: _Checker, *, nested: bool) -> list[str]:
    out = []
    for rule in rules:
        if isinstance(rule, ast.ParseError):
            check.fail(rule, f"This could not be read ({rule.message}).")
        elif isinstance(rule, ast.AtRule):
            keyword = rule.lower_at_keyword
            if keyword != "media":
                check.fail(rule, f"@{keyword} is not allowed (only @media).")
                continue
            if nested:
                check.fail(rule, "@media cannot be inside another @media.")
                continue
            if rule.content is None:
                check.fail(rule, "@media needs a block of rules.")
                continue
            query = _media_query(rule.prelude, check, rule)
            if query is None:
                continue
            inner = tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)
            body = _rules(inner, check, nested=True)
            out.append(f"@media {query} {{\n" + "".join(f"  {r}" for r in body) + "}\n")
        elif isinstance(rule, ast.QualifiedRule):
            selected = _selectors(rule.prelude, check, rule)
            if selected is None:
                continue
            selectors, container = selected
            declarations = _declarations(rule.content, check, container=container)
            if declarations:
                out.append(f"{', '.join(selectors)} {{ {' '.join(declarations)} }}\n")
    return out


def _media_query(prelude, check: _Checker, rule, depth: int = 0) -> str | None:
    if _too_deep(depth, check, rule):
        return None
    out = []
    for token in prelude:
        if isinstance(token, ast.WhitespaceToken):
            out.append(" ")
        elif isinstance(token, ast.IdentToken) or (
            isinstance(token, ast.LiteralToken) and token.value in (",", ":")
        ):
            out.append(tinycss2.serialize([token]))
        elif isinstance(token, ast.ParenthesesBlock):
            inner = _media_query(token.content, check, rule, depth + 1)
            if inner is None:
                return None
            out.append(f"({inner})")
        elif isinstance(token, (ast.NumberToken, ast.DimensionToken)):
            out.append(tinycss2.serialize([token]))
        else:
            check.fail(rule, "This media query is not allowed.")
            return None
    return re.sub(r"\s+", " ", "".join(out)).strip()


def sanitize_work_skin(css: str) -> str:
    """`css` as safe CSS scoped under #workskin; CssError lists every problem otherwise."""
    if len(css) > MAX_LENGTH:
        raise CssError([f"A skin can be at most {MAX_LENGTH:,} characters long."])
    if "\x00" in css:
        raise CssError(["A skin cannot contain NUL characters."])
    check = _Checker([])
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    out = _rules(rules, check, nested=False)
    if check.problems:
        raise CssError(check.problems)
    return "".join(out)
