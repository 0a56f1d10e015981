"""Read word-processor and plain files: .docx (mammoth), .odt, Markdown and plain text."""

import io
import re
import xml.etree.ElementTree as ET
from html import escape

import mammoth

from polis.core.text import to_html
from polis.imports.parsed import ImportRefused, ParsedChapter, ParsedWork, chapter_title
from polis.imports.readers.archives import BoundedZip
from polis.imports.readers.html import read_generic_html


def read_docx(data: bytes, *, title: str) -> ParsedWork:
    """Word's headings split chapters; bold, italics, lists and tables are kept."""
    BoundedZip(data, kind=".docx file")  # sizes checked before mammoth unpacks anything
    try:
        result = mammoth.convert_to_html(io.BytesIO(data))
    except Exception as error:  # mammoth raises bare errors for damaged documents
        raise ImportRefused("This .docx file could not be read.") from error
    return read_generic_html(result.value, title=_docx_title(data) or title)


def _docx_title(data: bytes) -> str:
    archive = BoundedZip(data, kind=".docx file")
    if "docProps/core.xml" not in archive.names:
        return ""
    try:
        core = ET.fromstring(archive.read("docProps/core.xml"))
    except ET.ParseError:
        return ""
    node = core.find("{http://purl.org/dc/elements/1.1/}title")
    return " ".join((node.text or "").split()) if node is not None else ""


_ODF = {
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
}
_T = "{" + _ODF["text"] + "}"


def _odf_inline(node: ET.Element) -> str:
    """A paragraph's text with its spaces, tabs and line breaks (an explicit stack, no
    recursion over user-controlled depth)."""
    out: list[str] = []
    stack: list[ET.Element | str] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(escape(item))
            continue
        if item.tag == f"{_T}s":
            out.append(" " * int(item.get(f"{_T}c", "1") or 1))
        elif item.tag == f"{_T}tab":
            out.append("\t")
        elif item.tag == f"{_T}line-break":
            out.append("<br />")
        elif item.text and item is not None:
            out.append(escape(item.text))
        if item is not node and item.tail:
            stack.append(item.tail)
        stack.extend(reversed(list(item)))
    return "".join(out)


def read_odt(data: bytes, *, title: str) -> ParsedWork:
    """OpenDocument text: headings, paragraphs and lists (character styles are not read)."""
    archive = BoundedZip(data, kind=".odt file")
    try:
        content = ET.fromstring(archive.read("content.xml"))
    except ET.ParseError as error:
        raise ImportRefused("This .odt file's content is not valid XML.") from error
    body = content.find("office:body/office:text", _ODF)
    if body is None:
        raise ImportRefused("This .odt file holds no text document.")
    parts: list[str] = []
    for node in body:
        if node.tag == f"{_T}h":
            level = min(max(int(node.get(f"{_T}outline-level", "1") or 1), 1), 6)
            parts.append(f"<h{level}>{_odf_inline(node)}</h{level}>")
        elif node.tag == f"{_T}p":
            parts.append(f"<p>{_odf_inline(node)}</p>")
        elif node.tag == f"{_T}list":
            items = [
                "".join(_odf_inline(p) for p in item.iter(f"{_T}p"))
                for item in node.iter(f"{_T}list-item")
            ]
            parts.append("<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")
    return read_generic_html("\n".join(parts), title=title)


def read_markdown(text: str, *, title: str) -> ParsedWork:
    return read_generic_html(to_html(text, "markdown"), title=title)


_CHAPTER_LINE = re.compile(r"^\s*Chapter\s+\d+\b[^\n]*$", re.IGNORECASE | re.MULTILINE)
_NOTE_START = re.compile(r"^\s*(A/N|Author'?s Notes?|Author’s Notes?)\s*[:.\-–—]\s*", re.I)


def read_text(text: str, *, title: str) -> ParsedWork:
    """Plain text: blank lines part paragraphs, "Chapter N" lines start chapters, and a
    leading "A/N:" or "Author's Note:" paragraph is the work's notes."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    work = ParsedWork(title=title or "Untitled")
    marks = list(_CHAPTER_LINE.finditer(text))
    pieces: list[tuple[str, str]] = []
    if marks:
        if text[: marks[0].start()].strip():
            pieces.append(("", text[: marks[0].start()]))
        for mark, following in zip(marks, [*marks[1:], None], strict=True):
            end = following.start() if following else len(text)
            pieces.append((chapter_title(mark.group(0)), text[mark.end() : end]))
    else:
        pieces.append(("", text))
    first_title, first_text = pieces[0]
    paragraphs = first_text.strip().split("\n\n", 1)
    if _NOTE_START.match(paragraphs[0]):
        note = _NOTE_START.sub("", paragraphs[0], count=1)
        work.notes = to_html(note, "text")
        pieces[0] = (first_title, paragraphs[1] if len(paragraphs) > 1 else "")
    work.chapters = [
        ParsedChapter(html=body.strip(), title=name, text_format="text")
        for name, body in pieces
        if body.strip()
    ]
    if not work.chapters:
        raise ImportRefused("This file has no text.")
    return work
