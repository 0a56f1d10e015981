"""Chapters converted for one output file, shared by the EPUB, HTML and PDF writers."""

from dataclasses import dataclass

from polis.downloads.preface import Book, BookChapter, text_direction
from polis.downloads.series import SeriesBook
from polis.downloads.xhtml import Fragment, ImageSource, XhtmlDocument

# Ids our own templates use; a writer's `<a name>` cannot take them.
PAGE_IDS = frozenset({"preface", "afterword", "toc", "landmarks"})


@dataclass(frozen=True)
class ChapterPage:
    number: int
    heading: str
    heading_dir: str
    summary: Fragment
    notes: Fragment
    content: Fragment
    end_notes: Fragment


def chapter_page(chapter: BookChapter, document: XhtmlDocument, direction: str) -> ChapterPage:
    """Convert one chapter's HTML fields into `document` (call document.finish() after)."""
    return ChapterPage(
        number=chapter.number,
        heading=chapter.heading,
        heading_dir=text_direction(chapter.heading, default=direction),
        summary=document.convert(chapter.summary),
        notes=document.convert(chapter.notes),
        content=document.convert(chapter.content),
        end_notes=document.convert(chapter.end_notes),
    )


def single_file_context(book: Book, images: ImageSource) -> dict[str, object]:
    """Template context for a whole book in one document (HTML and PDF)."""
    reserved = PAGE_IDS | {f"chapter-{chapter.number}" for chapter in book.chapters}
    document = XhtmlDocument(images=images, reserved_ids=reserved)
    context: dict[str, object] = {
        "book": book,
        "summary": document.convert(book.summary),
        "notes": document.convert(book.notes),
        "chapters": [chapter_page(c, document, book.direction) for c in book.chapters],
        "end_notes": document.convert(book.end_notes),
    }
    document.finish()
    return context


@dataclass(frozen=True)
class SeriesPart:
    """One work of a series in a single-file download; its ids all start with `prefix`."""

    book: Book
    prefix: str
    summary: Fragment
    notes: Fragment
    chapters: list[ChapterPage]
    end_notes: Fragment


def series_file_context(series: SeriesBook, images: ImageSource) -> dict[str, object]:
    """Template context for a whole series in one document (HTML and PDF).

    Our ids take the form `w2-chapter-3`; anchors from the writers' text take `w2.name`
    (the converter adds the prefix), so neither can meet the other.
    """
    title_doc = XhtmlDocument(images=images, id_prefix="s.")
    summary, notes = title_doc.convert(series.summary), title_doc.convert(series.notes)
    title_doc.finish()
    parts = []
    for number, book in enumerate(series.parts, start=1):
        document = XhtmlDocument(images=images, id_prefix=f"w{number}.")
        parts.append(
            SeriesPart(
                book=book,
                prefix=f"w{number}-",
                summary=document.convert(book.summary),
                notes=document.convert(book.notes),
                chapters=[chapter_page(c, document, book.direction) for c in book.chapters],
                end_notes=document.convert(book.end_notes),
            )
        )
        document.finish()
    return {"book": series, "summary": summary, "notes": notes, "parts": parts}
