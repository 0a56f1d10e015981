"""The single-file HTML download: inline CSS, local images embedded as data: URIs."""

from django.template.loader import render_to_string
from django.utils.encoding import iri_to_uri
from django.utils.safestring import mark_safe

from polis.downloads.images import is_external, load_local_image
from polis.downloads.pages import series_file_context, single_file_context
from polis.downloads.preface import Book
from polis.downloads.series import SeriesBook
from polis.downloads.xhtml import ImageSource


def html_image_source(src: str) -> str | None:
    """Local images inline; remote ones by their absolute URL (the reader's browser fetches)."""
    image = load_local_image(src)
    if image is not None:
        return image.data_uri
    return iri_to_uri(src.strip()) if is_external(src) else None


def render_book_html(book: Book, *, css: str, images: ImageSource, toc: bool) -> str:
    """The book as one HTML document with `css` inline."""
    context = single_file_context(book, images)
    # The CSS is ours, never user input; </style> cannot occur in it.
    context.update(css=mark_safe(css), toc=toc)
    return render_to_string("downloads/book.html", context)


def render_series_html(series: SeriesBook, *, css: str, images: ImageSource, toc: bool) -> str:
    """A whole series as one HTML document with `css` inline."""
    context = series_file_context(series, images)
    context.update(css=mark_safe(css), toc=toc)  # our CSS, as above
    return render_to_string("downloads/series.html", context)


def write_html(book: Book) -> bytes:
    """One self-contained HTML file: no stylesheet, script or font to fetch."""
    css = render_to_string("downloads/book.css") + render_to_string("downloads/html.css")
    return render_book_html(book, css=css, images=html_image_source, toc=True).encode("utf-8")


def write_series_html(series: SeriesBook) -> bytes:
    """A series as one self-contained HTML file, with a table of contents."""
    css = render_to_string("downloads/book.css") + render_to_string("downloads/html.css")
    html = render_series_html(series, css=css, images=html_image_source, toc=True)
    return html.encode("utf-8")
