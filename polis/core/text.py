"""Conversion of user-entered HTML, plain text or Markdown into sanitized HTML."""

import enum
import re
from html import escape

from django.core.exceptions import ValidationError
from markdown_it import MarkdownIt

from polis.core.sanitizer import (
    MAX_NESTING_DEPTH,
    TOO_DEEP,
    nesting_depth,
    sanitize_html,
    strip_tags,
)

__all__ = ["TextFormat", "html_to_text", "to_html"]


class TextFormat(enum.StrEnum):
    HTML = "html"
    TEXT = "text"
    MARKDOWN = "markdown"


html_to_text = strip_tags

# HTML without any of these is treated as text with inline markup, as AO3 does.
_BLOCK_TAG = re.compile(
    r"<\s*/?\s*(?:p|div|br|blockquote|ul|ol|table|h[1-6]|pre|hr|dl|details|figure|center|address)"
    r"(?![\w-])",
    re.IGNORECASE,
)
_BLANK_LINES = re.compile(r"\n\s*\n")
# markdown-it aligns table cells with style="text-align:..."; the sanitizer keeps only `align`.
_CELL_ALIGN_STYLE = re.compile(r' style="text-align:(left|right|center)"')

_markdown = MarkdownIt("commonmark", {"html": False, "breaks": False, "linkify": False}).enable(
    ["table", "strikethrough"]
)


def _paragraphs(text: str) -> str:
    """Blank lines separate <p> paragraphs; single newlines inside one become <br />."""
    paragraphs = []
    for block in _BLANK_LINES.split(text):
        lines = [line.strip() for line in block.strip().split("\n")]
        if lines != [""]:
            paragraphs.append("<p>" + "<br />\n".join(lines) + "</p>")
    return "\n".join(paragraphs)


def to_html(
    source: str, fmt: TextFormat | str, *, allow_class: bool = True, field: str | None = None
) -> str:
    """Render `source` written in `fmt` as sanitized HTML; blank input gives "".

    Markup nested more than MAX_NESTING_DEPTH elements deep is refused with a ValidationError
    on `field` (on the whole input when no field is named).
    """
    fmt = TextFormat(fmt)
    source = source.replace("\r\n", "\n").replace("\r", "\n")
    if not source.strip():
        return ""
    if fmt is TextFormat.TEXT:
        html = _paragraphs(escape(source, quote=False))
    elif fmt is TextFormat.MARKDOWN:
        html = _CELL_ALIGN_STYLE.sub(r' align="\1"', _markdown.render(source))
    elif _BLOCK_TAG.search(source):
        html = source
    else:
        # Sanitize first too, so dropped content (comments, scripts) leaves no empty <p>.
        html = _paragraphs(sanitize_html(source, allow_class=allow_class))
    html = sanitize_html(html, allow_class=allow_class).strip()
    if nesting_depth(html) > MAX_NESTING_DEPTH:
        raise ValidationError({field: TOO_DEEP} if field else TOO_DEEP, code="too_deep")
    return html
