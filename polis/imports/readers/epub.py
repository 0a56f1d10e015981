"""Read an EPUB: AO3's and Polis' own (their pages keep the archive shape), or any other
(FanFicFare's included): metadata from the package document, a chapter per spine page."""

import posixpath
import re
import xml.etree.ElementTree as ET

from bs4 import BeautifulSoup, Tag

from polis.imports.parsed import (
    ImportRefused,
    ParsedChapter,
    ParsedWork,
    fixed_categories,
    fixed_rating,
    fixed_warnings,
    parse_date,
)
from polis.imports.readers.archives import BoundedZip
from polis.imports.readers.html import (
    inner_html,
    is_archive_page,
    language_code,
    read_archive_page,
    soup_of,
)

_NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
}
_XHTML = {"application/xhtml+xml", "text/html"}
# Pages of a generic EPUB that are not chapters (FanFicFare's title page and contents).
_NOT_CHAPTERS = ("title_page", "titlepage", "toc", "nav", "cover", "preface", "afterword")


def _xml(data: bytes) -> ET.Element:
    try:
        return ET.fromstring(data)
    except ET.ParseError as error:
        raise ImportRefused("This EPUB's package document is not valid XML.") from error


def read_epub(data: bytes, *, source_url: str = "") -> ParsedWork:
    book = BoundedZip(data, kind="EPUB")
    container = _xml(book.read("META-INF/container.xml"))
    rootfile = container.find(".//c:rootfile", _NS)
    if rootfile is None or not rootfile.get("full-path"):
        raise ImportRefused("This EPUB names no package document.")
    opf_path = rootfile.get("full-path")
    package = _xml(book.read(opf_path))
    base = posixpath.dirname(opf_path)
    manifest = {item.get("id"): item for item in package.iterfind("opf:manifest/opf:item", _NS)}
    pages: list[tuple[str, str]] = []  # (href, body html)
    for itemref in package.iterfind("opf:spine/opf:itemref", _NS):
        item = manifest.get(itemref.get("idref"))
        if item is None or item.get("media-type") not in _XHTML:
            continue
        href = posixpath.normpath(posixpath.join(base, item.get("href", "")))
        if "nav" in (item.get("properties") or "").split():
            continue
        soup = soup_of(book.text(href))
        body = soup.body or soup
        pages.append((href, inner_html(body)))
    if not pages:
        raise ImportRefused("This EPUB has no pages.")
    joined = soup_of("".join(body for _, body in pages))
    if is_archive_page(joined):
        return _archive_epub(pages, source_url)
    return _generic_epub(package, pages, source_url)


def _archive_epub(pages: list[tuple[str, str]], source_url: str) -> ParsedWork:
    """AO3's EPUB has its download's preface, chapter pages and afterword as separate pages:
    joined in order (chapters inside `#chapters`), they read as the HTML download does."""
    head, chapters, tail = [], [], []
    for _, body in pages:
        if 'id="preface"' in body or 'class="preface"' in body:
            head.append(body)
        elif 'id="afterword"' in body or 'class="afterword"' in body:
            tail.append(body)
        else:
            chapters.append(body)
    html = "".join(head) + '<div id="chapters">' + "".join(chapters) + "</div>" + "".join(tail)
    return read_archive_page(html, source_url=source_url)


_NUMBERED = re.compile(r"^\d+\.\s+")  # FanFicFare numbers chapter titles: "1. Dusk"
_SERIES = re.compile(r"^(?P<title>.+?)\s*\[(?P<position>\d+)\]$")


def _fanficfare_title_page(soup: BeautifulSoup, work: ParsedWork) -> None:
    """FanFicFare's title page: `<b>Label:</b> value<br />` lines (its own names for AO3's
    fields: "Category" holds the fandoms, "Genre" the categories and additional tags)."""
    fields: dict[str, str] = {}
    for label in soup.find_all("b"):
        name = label.get_text().strip().rstrip(":").casefold()
        parts = []
        for sibling in label.next_siblings:
            if isinstance(sibling, Tag) and sibling.name in {"br", "b"}:
                break
            if isinstance(sibling, Tag) and sibling.name == "div" and name == "summary":
                fields["summary_html"] = inner_html(sibling)
            parts.append(sibling.get_text(" ") if isinstance(sibling, Tag) else str(sibling))
        fields[name] = " ".join("".join(parts).split())

    def names(key: str) -> list[str]:
        return [name.strip() for name in fields.get(key, "").split(",") if name.strip()]

    if "category" in fields:
        work.fandoms = names("category")
    if "genre" in fields:
        genre = names("genre")
        work.categories = fixed_categories(genre)
        work.freeforms = [name for name in genre if name not in work.categories]
    work.characters = names("characters") or work.characters
    work.relationships = names("relationships") or work.relationships
    work.rating = fixed_rating(fields.get("rating", "")) or work.rating
    work.warnings = fixed_warnings(names("warnings")) or work.warnings
    if fields.get("status"):
        work.complete = fields["status"].casefold() == "completed"
    work.published_at = parse_date(fields.get("published", "")) or work.published_at
    work.updated_at = parse_date(fields.get("updated", "")) or work.updated_at
    work.language = language_code(fields.get("language", "")) or work.language
    work.summary = fields.get("summary_html") or work.summary
    series = _SERIES.match(fields.get("series", ""))
    if series:
        work.series = [(series["title"], int(series["position"]))]


def _meta(package: ET.Element, name: str) -> list[str]:
    return [
        " ".join("".join(node.itertext()).split())
        for node in package.iterfind(f"opf:metadata/dc:{name}", _NS)
    ]


def _generic_epub(package: ET.Element, pages: list[tuple[str, str]], source_url: str):
    work = ParsedWork(source_url=source_url)
    work.title = next(iter(_meta(package, "title")), "") or "Untitled"
    work.creators = _meta(package, "creator")
    description = next(iter(_meta(package, "description")), "")
    work.summary = f"<p>{description}</p>" if description and "<" not in description else ""
    if description and not work.summary:
        work.summary = description
    language = next(iter(_meta(package, "language")), "")
    work.language = language_code(language) or language_code(language.split("-")[0])
    work.freeforms = [name for name in _meta(package, "subject") if name]
    work.published_at = parse_date(next(iter(_meta(package, "date")), ""))
    for meta in package.iterfind("opf:metadata/opf:meta", _NS):
        if meta.get("name") == "calibre:series" and meta.get("content"):
            index = next(
                (
                    m.get("content")
                    for m in package.iterfind("opf:metadata/opf:meta", _NS)
                    if m.get("name") == "calibre:series_index"
                ),
                "1",
            )
            try:
                position = int(float(index or 1))
            except ValueError:
                position = 1
            work.series.append((meta.get("content"), position))
    for href, body in pages:
        stem = posixpath.basename(href).lower()
        if "title_page" in stem or "titlepage" in stem:
            _fanficfare_title_page(soup_of(body), work)
        if any(word in stem for word in _NOT_CHAPTERS) or not soup_of(body).get_text().strip():
            continue
        soup = soup_of(body)
        heading = soup.find(["h1", "h2", "h3"])
        title = ""
        if heading is not None:
            title = _NUMBERED.sub("", " ".join(heading.get_text(" ").split()))
            heading.decompose()
        work.chapters.append(ParsedChapter(html=str(soup).strip(), title=title))
    if not work.chapters:
        raise ImportRefused("This EPUB has no chapter text.")
    if len(work.chapters) == 1 and work.chapters[0].title == work.title:
        work.chapters[0].title = ""
    return work
