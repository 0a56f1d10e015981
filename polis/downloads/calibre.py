"""AZW3 and MOBI through calibre's `ebook-convert`, from our EPUB."""

import shutil
import subprocess
import tempfile
from pathlib import Path

from polis.downloads.formats import EBOOK_CONVERT, Format

CONVERT_TIMEOUT_SECONDS = 600


class ConversionError(RuntimeError):
    """calibre is missing, failed or took too long."""


def convert_epub(epub: bytes, fmt: Format) -> bytes:
    """Convert an EPUB to `fmt` (azw3 or mobi) with ebook-convert."""
    program = shutil.which(EBOOK_CONVERT)
    if program is None:
        raise ConversionError("ebook-convert is not on PATH")
    with tempfile.TemporaryDirectory(prefix="polis-calibre-") as tmp:
        source = Path(tmp) / "book.epub"
        target = Path(tmp) / f"book.{fmt.extension}"
        source.write_bytes(epub)
        try:
            subprocess.run(
                [program, str(source), str(target)],
                check=True,
                capture_output=True,
                timeout=CONVERT_TIMEOUT_SECONDS,
                cwd=tmp,
            )
        except (OSError, subprocess.SubprocessError) as error:
            raise ConversionError(f"ebook-convert failed: {error}") from error
        if not target.is_file():
            raise ConversionError("ebook-convert wrote nothing")
        return target.read_bytes()
