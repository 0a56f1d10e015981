"""The PDF download, typeset by WeasyPrint from the same markup as the HTML download."""

from typing import TYPE_CHECKING

from django.template.loader import render_to_string

from polis.downloads.html import render_book_html, render_series_html
from polis.downloads.images import load_local_image
from polis.downloads.preface import Book
from polis.downloads.series import SeriesBook

if TYPE_CHECKING:
    from weasyprint.document import Document
    from weasyprint.urls import URLFetcher


def pdf_image_source(src: str) -> str | None:
    """Local images only: rendering never fetches anything from the network."""
    image = load_local_image(src)
    return image.data_uri if image is not None else None


def _fetcher() -> "URLFetcher":
    from weasyprint.urls import URLFetcher

    # data: URIs are all our markup refers to; refuse file: and http: outright.
    return URLFetcher(allowed_protocols={"data"})


def render_pdf_document(book: Book) -> "Document":
    """The laid-out WeasyPrint document (its `.pages` tell how many pages it has)."""
    from weasyprint import HTML  # imported late: loading Pango takes a moment

    css = render_to_string("downloads/book.css") + render_to_string("downloads/pdf.css")
    html = render_book_html(book, css=css, images=pdf_image_source, toc=False)
    return HTML(string=html, url_fetcher=_fetcher()).render()


def render_series_pdf_document(series: SeriesBook) -> "Document":
    """A series laid out: each work starts on a new page, bookmarks per work and chapter."""
    from weasyprint import HTML

    css = render_to_string("downloads/book.css") + render_to_string("downloads/pdf.css")
    html = render_series_html(series, css=css, images=pdf_image_source, toc=False)
    return HTML(string=html, url_fetcher=_fetcher()).render()


def write_series_pdf(series: SeriesBook) -> bytes:
    return render_series_pdf_document(series).write_pdf()


def write_pdf(book: Book) -> bytes:
    """The PDF file: A5 pages, serif type, chapters on new pages, numbered pages."""
    return render_pdf_document(book).write_pdf()


_warm = False


def pdf_warm_up() -> None:
    """Lay out and write one tiny PDF, once per process, so that every module WeasyPrint
    loads late (Pango's bindings, font subsetting) is loaded before a build runs under the
    time limit: an import cut short by the alarm leaves a half-made module that would break
    every later PDF of the process."""
    global _warm
    if _warm:
        return
    from weasyprint import HTML

    css = render_to_string("downloads/book.css") + render_to_string("downloads/pdf.css")
    page = f"<html><head><style>{css}</style></head><body><h1>Á</h1><p>x <i>y</i></p></body></html>"
    HTML(string=page, url_fetcher=_fetcher()).render().write_pdf()
    _warm = True
