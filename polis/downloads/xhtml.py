"""Sanitized HTML re-serialized as well-formed XHTML that is valid HTML5 (for epubcheck)."""

import re
from collections.abc import Callable, Iterable
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.utils.encoding import iri_to_uri
from django.utils.safestring import SafeString, mark_safe

from polis.core.sanitizer import MAX_NESTING_DEPTH
from polis.downloads.preface import site_url, xml_safe

# src → the src to write, or None to leave the image out (its alt text stays).
ImageSource = Callable[[str], str | None]

VOID = frozenset({"br", "hr", "img", "col"})
# Obsolete in HTML5, or widgets an e-book should show open: (new name, class kept).
RENAMED: dict[str, tuple[str, str | None]] = {
    "center": ("div", "center"),
    "big": ("span", "big"),
    "tt": ("span", "tt"),
    "acronym": ("abbr", None),
    "strike": ("s", None),
    "details": ("div", "details"),
    "summary": ("div", "summary"),
    "figure": ("div", "figure"),
    "figcaption": ("div", "figcaption"),
    "address": ("div", "address"),
}
TRANSPARENT = frozenset({"a", "ins", "del"})
PHRASING = frozenset(
    {
        "a", "abbr", "b", "br", "cite", "code", "del", "dfn", "em", "i", "img", "ins", "kbd",
        "q", "ruby", "s", "samp", "small", "span", "strong", "sub", "sup", "u", "var",
    }
)  # fmt: skip
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Elements whose children must be phrasing content.
PHRASING_ONLY = (PHRASING - TRANSPARENT) | HEADINGS | {"p", "pre", "dt", "rt", "rp"}
REQUIRED_PARENT: dict[str, frozenset[str]] = {
    "li": frozenset({"ul", "ol"}),
    "dt": frozenset({"dl"}),
    "dd": frozenset({"dl"}),
    "tr": frozenset({"table", "thead", "tbody", "tfoot"}),
    "td": frozenset({"tr"}),
    "th": frozenset({"tr"}),
    "thead": frozenset({"table"}),
    "tbody": frozenset({"table"}),
    "tfoot": frozenset({"table"}),
    "caption": frozenset({"table"}),
    "colgroup": frozenset({"table"}),
    "col": frozenset({"colgroup"}),
    "rt": frozenset({"ruby"}),
    "rp": frozenset({"ruby"}),
}
KNOWN = PHRASING | HEADINGS | frozenset(REQUIRED_PARENT) | frozenset(RENAMED) | {
    "blockquote", "div", "dl", "hr", "ol", "p", "pre", "table", "ul",
}  # fmt: skip

_LANG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*\Z")
_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,100}\Z")
_CLASS = re.compile(r"-?[A-Za-z_][A-Za-z0-9_-]*\Z")
_UINT = re.compile(r"[0-9]{1,5}\Z")
_INT = re.compile(r"-?[0-9]{1,9}\Z")
_ALIGN = frozenset({"left", "right", "center", "justify"})
_OL_TYPES = frozenset({"1", "a", "A", "i", "I"})
_TH_SCOPES = frozenset({"row", "col", "rowgroup", "colgroup"})
_REL = frozenset({"nofollow", "noopener", "noreferrer"})


def _positive(value: str) -> bool:
    return bool(_UINT.match(value)) and int(value) > 0


def escape_text(text: str) -> str:
    return xml_safe(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attr(value: str) -> str:
    return escape_text(value).replace('"', "&quot;")


class Fragment:
    """Converted markup; renders unescaped in templates once its document is finished."""

    __slots__ = ("parts",)

    def __init__(self, parts: list[str]) -> None:
        self.parts = parts

    def __html__(self) -> SafeString:
        return mark_safe("".join(self.parts))

    __str__ = __html__

    def __bool__(self) -> bool:
        return bool(self.parts)


class XhtmlDocument:
    """One output file: ids stay unique across its fragments, dead `#links` are unlinked."""

    def __init__(
        self, *, images: ImageSource, reserved_ids: Iterable[str] = (), id_prefix: str = ""
    ) -> None:
        self.images = images
        self.ids: set[str] = set(reserved_ids)
        # Written before every id and `#link` from the text, so that several works can share
        # one file (a series) without their anchors meeting.
        self.id_prefix = id_prefix
        self._links: list[tuple[list[str], int, str]] = []

    def convert(self, html: str) -> Fragment:
        converter = _Converter(self)
        converter.feed(html)
        converter.close()
        return Fragment(converter.finish())

    def link(self, parts: list[str], fragment: str) -> None:
        self._links.append((parts, len(parts), fragment))

    def finish(self) -> None:
        """Drop `href="#x"` where no `x` was defined in this document."""
        for parts, index, fragment in self._links:
            if fragment not in self.ids:
                parts[index] = ""
        self._links.clear()


def absolute_href(value: str) -> str | None:
    """A link target usable outside the site, or None (relative links need POLIS_SITE_URL)."""
    value = value.strip()
    parsed = urlsplit(value)
    scheme = parsed.scheme.lower()
    if scheme in {"http", "https", "mailto"}:
        return iri_to_uri(value)
    if not scheme and value.startswith("//") and parsed.netloc:
        return iri_to_uri(f"https:{value}")
    if not scheme and value.startswith("/") and site_url():
        return iri_to_uri(f"{site_url()}{value}")
    return None


class _Converter(HTMLParser):
    def __init__(self, document: XhtmlDocument) -> None:
        super().__init__(convert_charrefs=True)
        self.document = document
        self.out: list[str] = []
        # Open elements: (input name, output name or None, children phrasing-only,
        # no headings inside, implicit wrapper).
        self.stack: list[tuple[str, str | None, bool, bool, bool]] = []
        # Per open element, the nearest output element at or above it: O(1) however deep.
        self.parents: list[str | None] = []
        self.dl_last: list[str] = []  # per open dl: "", "dt" or "dd", its last item
        self.table_rows: list[bool] = []  # per open table: has a section or row started

    def finish(self) -> list[str]:
        while self.stack:
            self._pop()
        return self.out

    # Context -----------------------------------------------------------------

    def _parent(self) -> str | None:
        return self.parents[-1] if self.parents else None

    def _push(self, entry: tuple[str, str | None, bool, bool, bool]) -> None:
        self.stack.append(entry)
        self.parents.append(entry[1] if entry[1] is not None else self._parent())

    def _phrasing(self) -> bool:
        return self.stack[-1][2] if self.stack else False

    def _no_heading(self) -> bool:
        return self.stack[-1][3] if self.stack else False

    def _pop(self) -> None:
        _, out, *_ = self.stack.pop()
        self.parents.pop()
        if out == "dl" and self.dl_last.pop() == "dt":
            self.out.append("<dd></dd>")  # a term needs a definition after it
        elif out == "table":
            self.table_rows.pop()
        if out is not None:
            self.out.append(f"</{out}>")

    def _definition_item(self, name: str) -> None:
        """Before a dt or dd in a dl: a list starts with a term, so give it an empty one."""
        if name == "dd" and self.dl_last[-1] == "":
            self.out.append("<dt></dt>")
        self.dl_last[-1] = name

    def _wrap_if_needed(self, tag: str | None) -> None:
        """Children of lists that are not items get an item around them, as browsers show."""
        if self.stack and self.stack[-1][4]:
            implicit = self.stack[-1][1]
            if (implicit == "li" and tag == "li") or (implicit == "dd" and tag in ("dt", "dd")):
                self._pop()
            return
        parent = self._parent()
        if parent in ("ul", "ol") and tag != "li":
            self.out.append("<li>")
            self._push(("", "li", False, False, True))
        elif parent == "dl" and tag not in ("dt", "dd"):
            self._definition_item("dd")
            self.out.append("<dd>")
            self._push(("", "dd", False, False, True))

    def _output_name(self, tag: str) -> tuple[str | None, str | None, bool]:
        """(output element, class naming what it was, demoted) for `tag` here."""
        if tag not in KNOWN:
            return None, None, False
        name, css_class = RENAMED.get(tag, (tag, None))
        phrasing = self._phrasing()
        required = REQUIRED_PARENT.get(name)
        if (
            (required is not None and self._parent() not in required)
            or (name in HEADINGS and self._no_heading())
            or (phrasing and name not in PHRASING and name not in ("rt", "rp"))
        ):
            return ("span" if phrasing else "div"), name, True
        # Table sections in HTML5 order: a late thead, and any tfoot, become one more tbody.
        if name == "tfoot" or (name == "thead" and self.table_rows[-1]):
            return "tbody", name, False
        return name, css_class, False

    # Attributes ----------------------------------------------------------------

    def _attributes(
        self, name: str, kept: bool, attrs: list[tuple[str, str | None]]
    ) -> tuple[str, str | None]:
        """(attribute text, link fragment): what of `attrs` is valid on `name`."""
        classes: list[str] = []
        pieces: list[str] = []
        href_fragment = None
        linked = False
        rel: list[str] = []
        for key, raw in attrs:
            value = (raw or "").strip()
            if key == "dir" and value.lower() in ("ltr", "rtl", "auto"):
                pieces.append(f'dir="{value.lower()}"')
            elif key == "lang" and _LANG.match(value):
                pieces.append(f'lang="{value}" xml:lang="{value}"')
            elif key == "title" and value:
                pieces.append(f'title="{escape_attr(raw or "")}"')
            elif key == "class":
                classes.extend(c for c in value.split() if _CLASS.match(c))
            elif key == "align" and value.lower() in _ALIGN:
                classes.append(f"align-{value.lower()}")
            elif not kept:
                continue
            elif name == "a" and key == "href":
                if value.startswith("#"):
                    href_fragment = value[1:]
                elif (target := absolute_href(value)) is not None:
                    pieces.append(f'href="{escape_attr(target)}"')
                    linked = True
            elif name == "a" and key == "rel":
                rel = [token for token in value.lower().split() if token in _REL]
            elif name == "a" and key == "name":
                if _ID.match(value) and value not in self.document.ids:
                    self.document.ids.add(value)
                    pieces.append(f'id="{self.document.id_prefix}{value}"')
            elif name in ("blockquote", "q") and key == "cite":
                if urlsplit(value).scheme.lower() in ("http", "https"):
                    pieces.append(f'cite="{escape_attr(iri_to_uri(value))}"')
            elif name == "ol" and key == "start" and _INT.match(value):
                pieces.append(f'start="{value}"')
            elif name == "ol" and key == "type" and value in _OL_TYPES:
                pieces.append(f'type="{value}"')
            elif name in ("td", "th") and key == "colspan" and _positive(value):
                pieces.append(f'colspan="{int(value)}"')
            elif name in ("td", "th") and key == "rowspan" and _UINT.match(value):
                pieces.append(f'rowspan="{int(value)}"')
            elif name == "th" and key == "scope" and value.lower() in _TH_SCOPES:
                pieces.append(f'scope="{value.lower()}"')
            elif name == "table" and key == "border" and value not in ("", "0"):
                classes.append("bordered")
            elif name == "col" and key == "span" and _positive(value):
                pieces.append(f'span="{int(value)}"')
        if linked and rel:
            pieces.append(f'rel="{" ".join(rel)}"')  # only valid beside an href
        if classes:
            pieces.append(f'class="{" ".join(dict.fromkeys(classes))}"')
        return "".join(f" {piece}" for piece in pieces), href_fragment

    def _open(self, name: str, kept: bool, attrs: list[tuple[str, str | None]], end: str) -> None:
        text, fragment = self._attributes(name, kept, attrs)
        self.out.append(f"<{name}{text}")
        if fragment is not None:
            self.document.link(self.out, fragment)
            self.out.append(f' href="#{escape_attr(self.document.id_prefix + fragment)}"')
        self.out.append(end)

    # Parser callbacks ------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            self.handle_startendtag(tag, attrs)
            return
        self._wrap_if_needed(tag)
        name, was, demoted = self._output_name(tag)
        if len(self.stack) >= MAX_NESTING_DEPTH:
            # Text saved before the sanitizer refused deeper markup: typesetting recurses per
            # level, so deeper elements give up their tags and keep their text.
            name = None
        if name is None:
            # Not expected after sanitizing: keep the text, lose the tag.
            self._push((tag, None, self._phrasing(), self._no_heading(), False))
            return
        if was:
            attrs = [*attrs, ("class", was)]
        parent = self._parent()
        if parent == "dl" and name in ("dt", "dd"):
            self._definition_item(name)
        elif parent == "table" and name in ("thead", "tbody", "tr"):
            self.table_rows[-1] = True
        self._open(name, not demoted, attrs, ">")
        if name == "dl":
            self.dl_last.append("")
        elif name == "table":
            self.table_rows.append(False)
        phrasing = self._phrasing() if name in TRANSPARENT else name in PHRASING_ONLY
        no_heading = self._no_heading() or name in ("th", "dt")
        self._push((tag, name, phrasing, no_heading, False))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.handle_starttag(tag, attrs)
            self.handle_endtag(tag)
            return
        self._wrap_if_needed(tag)
        if tag == "img":
            self._image(dict(attrs))
        elif tag == "br":
            self.out.append("<br/>")
        elif tag == "hr":
            self.out.append('<span class="hr"></span>' if self._phrasing() else "<hr/>")
        elif tag == "col" and self._parent() == "colgroup":
            self._open("col", True, attrs, "/>")

    def _image(self, attrs: dict[str, str | None]) -> None:
        alt = (attrs.get("alt") or "").strip()
        src = self.document.images((attrs.get("src") or "").strip())
        if src is None:
            if alt:
                self.out.append(f'<span class="image-alt">{escape_text(alt)}</span>')
            return
        pieces = [f'src="{escape_attr(src)}"', f'alt="{escape_attr(alt)}"']
        for key in ("width", "height"):
            value = (attrs.get(key) or "").strip()
            if _UINT.match(value):
                pieces.append(f'{key}="{int(value)}"')
        rest = [(k, v) for k, v in attrs.items() if k in ("title", "dir", "lang", "class", "align")]
        text, _ = self._attributes("img", True, rest)
        self.out.append(f"<img {' '.join(pieces)}{text}/>")

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag and not self.stack[depth][4]:
                while len(self.stack) > depth:
                    self._pop()
                return

    def handle_data(self, data: str) -> None:
        if not data:
            return
        if data.strip():
            self._wrap_if_needed(None)
        self.out.append(escape_text(data))
