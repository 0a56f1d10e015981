"""The one HTML sanitizer for all user-supplied markup (AO3-equivalent allowlist, via nh3)."""

import re
from html import unescape
from html.parser import HTMLParser

import nh3

ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "a", "abbr", "acronym", "address", "b", "big", "blockquote", "br", "caption", "center",
        "cite", "code", "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em",
        "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
        "kbd", "li", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "small", "span",
        "strike", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
        "thead", "tr", "tt", "u", "ul", "var",
    }
)  # fmt: skip

ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "*": frozenset({"align", "dir", "lang", "title"}),
    "a": frozenset({"href", "name"}),
    "img": frozenset({"src", "alt", "width", "height", "border"}),
    "blockquote": frozenset({"cite"}),
    "q": frozenset({"cite"}),
    "ol": frozenset({"start", "type"}),
    "ul": frozenset({"type"}),
    "td": frozenset({"colspan", "rowspan", "abbr", "axis", "width", "height"}),
    "th": frozenset({"colspan", "rowspan", "abbr", "axis", "width", "height", "scope"}),
    "table": frozenset({"border", "summary", "width"}),
    "col": frozenset({"span", "width"}),
    "colgroup": frozenset({"span", "width"}),
    "details": frozenset({"open"}),
}

# Removed together with everything inside them. Other disallowed tags (audio, video, form,
# input, textarea, button, select, ...) are unwrapped: the tag goes, its text stays.
DROPPED_WITH_CONTENT: frozenset[str] = frozenset(
    {
        "script", "style", "iframe", "math", "svg", "noscript", "noembed", "noframes",
        "plaintext", "xmp", "object", "embed",
    }
)  # fmt: skip

URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})

# nh3 applies one scheme list to every URL attribute; images are narrower than links.
_IMG_SRC_OK = re.compile(r"\s*(?:https?:|/)", re.IGNORECASE)


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    # Called by nh3 after its scheme check, so only mailto: and relative URLs reach here.
    if element == "img" and attribute == "src" and not _IMG_SRC_OK.match(value):
        return None
    return value


def _build_cleaner(*, allow_class: bool) -> nh3.Cleaner:
    attributes = {tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()}
    if allow_class:
        attributes["*"].add("class")
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes=attributes,
        attribute_filter=_filter_attribute,
        strip_comments=True,
        link_rel="nofollow",
        url_schemes=set(URL_SCHEMES),
    )


_CLEANERS: dict[bool, nh3.Cleaner] = {
    False: _build_cleaner(allow_class=False),
    True: _build_cleaner(allow_class=True),
}


def sanitize_html(html: str, *, allow_class: bool = False) -> str:
    """Return `html` reduced to the allowlist; `class` survives only if `allow_class`."""
    return _CLEANERS[allow_class].clean(html)


# Deeper markup is refused when saved: browsers cope, but typesetting (WeasyPrint's PDF) recurses
# once per level, and no story needs a hundred boxes inside one another.
MAX_NESTING_DEPTH = 100
TOO_DEEP = (
    f"This text nests its HTML more than {MAX_NESTING_DEPTH} levels deep; please simplify it."
)
_VOID = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "source", "track", "wbr"})


class _DepthCounter(HTMLParser):
    """Counts open elements as the parser streams by: no tree, no recursion."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.open = 0
        self.deepest = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in _VOID:
            self.open += 1
            self.deepest = max(self.deepest, self.open)

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID and self.open:
            self.open -= 1


def nesting_depth(html: str) -> int:
    """How many elements deep `html` nests at its deepest (meant for sanitized output, whose
    every element is closed)."""
    counter = _DepthCounter()
    counter.feed(html)
    counter.close()
    return counter.deepest


# Tags whose boundaries separate words; everything else is unwrapped without a gap.
_BLOCK_TAGS: frozenset[str] = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "caption", "center", "dd", "details",
        "div", "dl", "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
        "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table",
        "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip

_BLOCK_ONLY_CLEANER = nh3.Cleaner(
    tags=set(_BLOCK_TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes={},
    strip_comments=True,
)
# After _BLOCK_ONLY_CLEANER every "<" left is one of these bare tags: text "<" is escaped.
_TAG = re.compile(r"<[^>]*>")
_WHITESPACE = re.compile(r"\s+")
_LINE_SPACE = re.compile(r"[^\S\n]+")


def strip_tags(html: str) -> str:
    """Return the plain text of `html`, one line per block, entities decoded."""
    cleaned = _BLOCK_ONLY_CLEANER.clean(html)
    # HTML collapses source whitespace; only block boundaries become line breaks.
    text = _TAG.sub("\n", _WHITESPACE.sub(" ", cleaned))
    text = _LINE_SPACE.sub(" ", unescape(text))
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())
