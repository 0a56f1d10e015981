"""Which reader a file goes to, by its name and its first bytes."""

from pathlib import PurePath

from polis.imports.parsed import ImportRefused, ParsedWork
from polis.imports.readers.archives import BoundedZip
from polis.imports.readers.documents import read_docx, read_markdown, read_odt, read_text
from polis.imports.readers.epub import read_epub
from polis.imports.readers.export import (
    ExportAccount,
    is_export,
    read_export,
    read_export_account,
)
from polis.imports.readers.html import (
    is_archive_page,
    read_archive_page,
    read_generic_html,
    soup_of,
)

EXTENSIONS = (".html", ".htm", ".xhtml", ".epub", ".docx", ".odt", ".md", ".markdown", ".txt")
EXPORT_EXTENSION = ".zip"


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def read_html(text: str, *, source_url: str = "", title: str = "") -> ParsedWork:
    if is_archive_page(soup_of(text)):
        return read_archive_page(text, source_url=source_url)
    return read_generic_html(text, source_url=source_url, title=title)


def read_export_extras(name: str, data: bytes) -> ExportAccount | None:
    """An export ZIP's account data besides its works; None for any other file."""
    if PurePath(name or "upload").suffix.lower() != EXPORT_EXTENSION:
        return None
    archive = BoundedZip(data, kind="ZIP")
    return read_export_account(archive) if is_export(archive) else None


def read_file(name: str, data: bytes) -> list[ParsedWork]:
    """The works in one uploaded file (several only for an export ZIP)."""
    path = PurePath(name or "upload")
    suffix = path.suffix.lower()
    title = path.stem.replace("_", " ").strip()
    if suffix == EXPORT_EXTENSION:
        archive = BoundedZip(data, kind="ZIP")
        if not is_export(archive):
            raise ImportRefused("This ZIP is not a Polis account export.")
        return read_export(archive)
    if suffix == ".epub":
        return [read_epub(data)]
    if suffix == ".docx":
        return [read_docx(data, title=title)]
    if suffix == ".odt":
        return [read_odt(data, title=title)]
    if suffix in {".md", ".markdown"}:
        return [read_markdown(decode(data), title=title)]
    if suffix == ".txt":
        return [read_text(decode(data), title=title)]
    if suffix in {".html", ".htm", ".xhtml"}:
        return [read_html(decode(data), title=title)]
    raise ImportRefused(
        "Polis imports HTML, EPUB, .docx, .odt, Markdown (.md), plain text (.txt) and its "
        "own export ZIPs."
    )
