"""Helpers for downloads tests: chapters with given HTML, EPUB reading, a real PNG."""

import io
import struct
import zipfile
import zlib
from xml.etree import ElementTree as ET

from polis.accounts.models import User
from polis.works.actions import ChapterInput, chapter_add
from polis.works.models import Work

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
}


def add_chapters(work: Work, chapters: list[ChapterInput]) -> Work:
    creator: User = work.creatorships.get().pseud.user
    for data in chapters:
        chapter_add(actor=creator, work=work, data=data, post=True)
    work.refresh_from_db()
    return work


def epub_zip(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def epub_xml(data: bytes, name: str) -> ET.Element:
    return ET.fromstring(epub_zip(data).read(name))


def png_bytes(width: int = 2, height: int = 2) -> bytes:
    """A real, tiny RGB PNG."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
