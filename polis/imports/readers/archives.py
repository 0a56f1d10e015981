"""Zip containers (EPUB, .docx, .odt, export ZIPs) read with bounded sizes: no zip bombs."""

import io
import zipfile

from django.conf import settings

from polis.imports.parsed import ImportRefused

MAX_MEMBERS = 5000


class BoundedZip:
    """A zip whose declared sizes were checked before anything is unpacked.

    `zipfile` stops each member at its declared size (and fails on a CRC mismatch), so a
    total of declared sizes under the limit bounds what reading can produce.
    """

    def __init__(self, data: bytes, *, kind: str):
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile as error:
            raise ImportRefused(f"This {kind} is not a valid zip file.") from error
        infos = self.zip.infolist()
        limit = settings.POLIS_IMPORT_MAX_UNPACKED
        if len(infos) > MAX_MEMBERS:
            raise ImportRefused(f"This {kind} holds more than {MAX_MEMBERS} files.")
        if sum(info.file_size for info in infos) > limit:
            raise ImportRefused(f"This {kind} unpacks to more than {limit} bytes.")
        self.names = {info.filename for info in infos}
        self.kind = kind

    def read(self, name: str) -> bytes:
        if name not in self.names:
            raise ImportRefused(f"This {self.kind} has no {name}.")
        limit = settings.POLIS_IMPORT_MAX_UNPACKED
        try:
            with self.zip.open(name) as member:
                data = member.read(limit + 1)
        except (zipfile.BadZipFile, OSError, EOFError) as error:
            raise ImportRefused(f"This {self.kind} is damaged ({name}).") from error
        if len(data) > limit:
            raise ImportRefused(f"This {self.kind} unpacks to more than {limit} bytes.")
        return data

    def text(self, name: str) -> str:
        return self.read(name).decode("utf-8", errors="replace")
