"""Our own small EPUB 3 writer: zip + OPF + nav + XHTML, valid for epubcheck (a work, or a
whole series as one book)."""

import datetime
import io
import zipfile
from dataclasses import dataclass

from django.template.loader import render_to_string

from polis.downloads.images import Image, load_local_image
from polis.downloads.pages import PAGE_IDS, ChapterPage, chapter_page
from polis.downloads.preface import Book
from polis.downloads.series import SeriesBook
from polis.downloads.xhtml import XhtmlDocument

XHTML = "application/xhtml+xml"
CONTAINER_XML = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""


@dataclass(frozen=True)
class ManifestItem:
    id: str
    href: str
    media_type: str


@dataclass(frozen=True)
class NavEntry:
    href: str
    label: str
    dir: str
    children: tuple["NavEntry", ...] = ()


class _EpubImages:
    """Local images met in chapter text, each stored once under EPUB/images/."""

    def __init__(self) -> None:
        self.by_src: dict[str, Image | None] = {}
        self.by_href: dict[str, Image] = {}

    def __call__(self, src: str) -> str | None:
        if src not in self.by_src:
            self.by_src[src] = load_local_image(src)
        image = self.by_src[src]
        if image is None:
            return None
        href = f"images/{image.digest}.{image.extension}"
        self.by_href[href] = image
        return f"../{href}"


def _modified(book: Book | SeriesBook) -> datetime.datetime:
    return book.modified.astimezone(datetime.UTC).replace(microsecond=0)


class _Writer:
    """A zip in memory whose entries all carry the same timestamp (reproducible files)."""

    def __init__(self, modified: datetime.datetime) -> None:
        self.buffer = io.BytesIO()
        self.zip = zipfile.ZipFile(self.buffer, "w")
        self.date_time = max(modified.timetuple()[:6], (1980, 1, 1, 0, 0, 0))

    def add(self, name: str, data: str | bytes, *, compress: bool = True) -> None:
        info = zipfile.ZipInfo(name, date_time=self.date_time)
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        info.external_attr = 0o644 << 16
        self.zip.writestr(info, data)

    def close(self) -> bytes:
        self.zip.close()
        return self.buffer.getvalue()


def _page(book: Book | SeriesBook, title: str, **context: object) -> str:
    return render_to_string(
        "downloads/epub/page.xhtml", {"book": book, "page_title": title, **context}
    )


@dataclass
class _Pages:
    """The XHTML files of one work: its preface, chapters and afterword."""

    documents: list[ManifestItem]
    chapters: list[NavEntry]


def _add_work(writer: _Writer, images: _EpubImages, book: Book, prefix: str = "") -> _Pages:
    """Write `book`'s pages as `text/<prefix>preface.xhtml`, `…chapter-001.xhtml`, …"""
    pages = _Pages(documents=[], chapters=[])

    preface_doc = XhtmlDocument(images=images, reserved_ids=PAGE_IDS)
    summary, notes = preface_doc.convert(book.summary), preface_doc.convert(book.notes)
    preface_doc.finish()
    writer.add(
        f"EPUB/text/{prefix}preface.xhtml",
        _page(book, book.title, summary=summary, notes=notes),
    )
    pages.documents.append(ManifestItem(f"{prefix}preface", f"text/{prefix}preface.xhtml", XHTML))

    width = max(3, len(str(len(book.chapters))))
    for chapter in book.chapters:
        reserved = PAGE_IDS | {f"chapter-{chapter.number}"}
        document = XhtmlDocument(images=images, reserved_ids=reserved)
        page: ChapterPage = chapter_page(chapter, document, book.direction)
        document.finish()
        name = f"{prefix}chapter-{chapter.number:0{width}d}"
        writer.add(f"EPUB/text/{name}.xhtml", _page(book, chapter.heading, chapter=page))
        pages.documents.append(ManifestItem(name, f"text/{name}.xhtml", XHTML))
        pages.chapters.append(NavEntry(f"text/{name}.xhtml", chapter.heading, page.heading_dir))

    afterword_doc = XhtmlDocument(images=images, reserved_ids=PAGE_IDS)
    end_notes = afterword_doc.convert(book.end_notes)
    afterword_doc.finish()
    writer.add(
        f"EPUB/text/{prefix}afterword.xhtml",
        _page(book, "Afterword", afterword=True, end_notes=end_notes),
    )
    pages.documents.append(
        ManifestItem(f"{prefix}afterword", f"text/{prefix}afterword.xhtml", XHTML)
    )
    return pages


def _finish(
    writer: _Writer,
    images: _EpubImages,
    book: Book | SeriesBook,
    documents: list[ManifestItem],
    entries: list[NavEntry],
    start: str,
) -> bytes:
    """The nav, stylesheet, images and package document; then the zip's bytes."""
    writer.add(
        "EPUB/nav.xhtml",
        render_to_string(
            "downloads/epub/nav.xhtml", {"book": book, "entries": entries, "start": start}
        ),
    )
    writer.add("EPUB/style.css", render_to_string("downloads/book.css"))
    image_items = []
    for href, image in sorted(images.by_href.items()):
        writer.add(f"EPUB/{href}", image.data, compress=image.media_type == "image/svg+xml")
        image_items.append(ManifestItem(f"img-{image.digest}", href, image.media_type))
    writer.add(
        "EPUB/package.opf",
        render_to_string(
            "downloads/epub/package.opf",
            {
                "book": book,
                "items": [*documents, *image_items],
                "spine": documents,
                "modified": _modified(book).strftime("%Y-%m-%dT%H:%M:%SZ"),
            },
        ),
    )
    return writer.close()


def _start(writer: _Writer) -> None:
    # The OCF rule: `mimetype` first, stored, no extra field.
    writer.add("mimetype", "application/epub+zip", compress=False)
    writer.add("META-INF/container.xml", CONTAINER_XML)


def write_epub(book: Book) -> bytes:
    """The EPUB 3 file for `book`, byte-for-byte the same for the same book."""
    images = _EpubImages()
    writer = _Writer(_modified(book))
    _start(writer)
    pages = _add_work(writer, images, book)
    entries = [
        NavEntry(pages.documents[0].href, "Preface", "ltr"),
        *pages.chapters,
        NavEntry(pages.documents[-1].href, "Afterword", "ltr"),
    ]
    documents = pages.documents
    start = documents[1].href if len(documents) > 2 else documents[0].href
    return _finish(writer, images, book, documents, entries, start)


def write_series_epub(series: SeriesBook) -> bytes:
    """The EPUB 3 file of a whole series: a title page, then each work in order.

    The table of contents has one entry per work (its preface), with the work's chapters
    nested under it when it has more than one.
    """
    images = _EpubImages()
    writer = _Writer(_modified(series))
    _start(writer)
    title_doc = XhtmlDocument(images=images, reserved_ids=PAGE_IDS | {"series"})
    summary, notes = title_doc.convert(series.summary), title_doc.convert(series.notes)
    title_doc.finish()
    writer.add(
        "EPUB/text/series.xhtml",
        _page(series, series.title, series_page=True, summary=summary, notes=notes),
    )
    documents = [ManifestItem("series", "text/series.xhtml", XHTML)]
    entries = [NavEntry("text/series.xhtml", series.title, series.title_direction)]
    width = max(2, len(str(len(series.parts))))
    for number, book in enumerate(series.parts, start=1):
        pages = _add_work(writer, images, book, prefix=f"w{number:0{width}d}-")
        documents.extend(pages.documents)
        children = tuple(pages.chapters) if len(pages.chapters) > 1 else ()
        entries.append(
            NavEntry(pages.documents[0].href, book.title, book.title_direction, children)
        )
    first = series.parts[0]
    start = documents[2].href if first.chapters else documents[1].href
    return _finish(writer, images, series, documents, entries, start)
