"""The download formats, and which of them this server can produce."""

import shutil
from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    """One file format: its URL extension, media type and whether calibre makes it."""

    extension: str
    label: str
    media_type: str
    needs_calibre: bool = False


# In AO3's menu order.
FORMATS: dict[str, Format] = {
    f.extension: f
    for f in (
        Format("azw3", "AZW3", "application/vnd.amazon.ebook", needs_calibre=True),
        Format("epub", "EPUB", "application/epub+zip"),
        Format("mobi", "MOBI", "application/x-mobipocket-ebook", needs_calibre=True),
        Format("pdf", "PDF", "application/pdf"),
        Format("html", "HTML", "text/html; charset=utf-8"),
    )
}

EBOOK_CONVERT = "ebook-convert"


def calibre_available() -> bool:
    """Whether calibre's `ebook-convert` is on PATH (looked up on every call: PATH may change)."""
    return shutil.which(EBOOK_CONVERT) is not None


def available_formats() -> list[Format]:
    """The formats offered on this server, in menu order."""
    calibre = calibre_available()
    return [f for f in FORMATS.values() if calibre or not f.needs_calibre]


def format_for(extension: str) -> Format | None:
    """The format for a URL extension if this server can produce it, else None."""
    fmt = FORMATS.get(extension.lower())
    if fmt is None or (fmt.needs_calibre and not calibre_available()):
        return None
    return fmt
