"""Our own small EPUB 3 writer: zip + OPF + nav + XHTML, valid for epubcheck."""

import datetime
import io
import zipfile
from dataclasses import dataclass

from django.template.loader import render_to_string

from polis.downloads.images import Image, load_local_image
from polis.downloads.pages import PAGE_IDS, ChapterPage, chapter_page
from polis.downloads.preface import Book
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


def _modified(book: Book) -> datetime.datetime:
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


def _page(book: Book, title: str, **context: object) -> str:
    return render_to_string(
        "downloads/epub/page.xhtml", {"book": book, "page_title": title, **context}
    )


def write_epub(book: Book) -> bytes:
    """The EPUB 3 file for `book`, byte-for-byte the same for the same book."""
    modified = _modified(book)
    images = _EpubImages()
    writer = _Writer(modified)
    # The OCF rule: `mimetype` first, stored, no extra field.
    writer.add("mimetype", "application/epub+zip", compress=False)
    writer.add("META-INF/container.xml", CONTAINER_XML)

    documents: list[ManifestItem] = []
    entries: list[NavEntry] = []

    preface_doc = XhtmlDocument(images=images, reserved_ids=PAGE_IDS)
    summary, notes = preface_doc.convert(book.summary), preface_doc.convert(book.notes)
    preface_doc.finish()
    writer.add(
        "EPUB/text/preface.xhtml",
        _page(book, book.title, summary=summary, notes=notes),
    )
    documents.append(ManifestItem("preface", "text/preface.xhtml", XHTML))
    entries.append(NavEntry("text/preface.xhtml", "Preface", "ltr"))

    width = max(3, len(str(len(book.chapters))))
    for chapter in book.chapters:
        reserved = PAGE_IDS | {f"chapter-{chapter.number}"}
        document = XhtmlDocument(images=images, reserved_ids=reserved)
        page: ChapterPage = chapter_page(chapter, document, book.direction)
        document.finish()
        name = f"chapter-{chapter.number:0{width}d}"
        writer.add(f"EPUB/text/{name}.xhtml", _page(book, chapter.heading, chapter=page))
        documents.append(ManifestItem(name, f"text/{name}.xhtml", XHTML))
        entries.append(NavEntry(f"text/{name}.xhtml", chapter.heading, page.heading_dir))

    afterword_doc = XhtmlDocument(images=images, reserved_ids=PAGE_IDS)
    end_notes = afterword_doc.convert(book.end_notes)
    afterword_doc.finish()
    writer.add(
        "EPUB/text/afterword.xhtml",
        _page(book, "Afterword", afterword=True, end_notes=end_notes),
    )
    documents.append(ManifestItem("afterword", "text/afterword.xhtml", XHTML))
    entries.append(NavEntry("text/afterword.xhtml", "Afterword", "ltr"))

    start = documents[1].href if len(documents) > 2 else documents[0].href
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
                "modified": modified.strftime("%Y-%m-%dT%H:%M:%SZ"),
            },
        ),
    )
    return writer.close()
