"""The download cache: one file per version of a work and format, behind a small interface."""

import hashlib
import os
import tempfile
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import Case, CharField, DateTimeField, F, IntegerField, Value, When
from django.utils.module_loading import import_string

from polis.downloads.formats import Format
from polis.works.models import Chapter, Creatorship, Tagging, Work

# Bump when the writers change what they produce: every cached file is then stale.
WRITER_VERSION = "1"
# A pending marker older than this is taken to be a task that died; it may be claimed again.
PENDING_SECONDS = 15 * 60


@dataclass(frozen=True)
class DownloadKey:
    """One version of one work in one format."""

    work_id: int
    extension: str
    fingerprint: str

    @property
    def name(self) -> str:
        return f"{self.work_id}/{self.extension}-{self.fingerprint}.{self.extension}"


def _fingerprint_rows(work_id: int) -> list[tuple]:
    """Everything a file shows that can change, in ONE query (a UNION ALL of four selects)."""
    no_time = Value(None, output_field=DateTimeField())
    no_text = Value("", output_field=CharField())
    zero = Value(0, output_field=IntegerField())
    columns = ("k", "a", "b", "t1", "t2", "s1", "s2")

    def rows(queryset, kind: str, **values):
        defaults = {"a": zero, "b": zero, "t1": no_time, "t2": no_time, "s1": no_text}
        annotations = {"k": Value(kind, output_field=CharField()), **defaults, "s2": no_text}
        # No ORDER BY: compound statements forbid it in their parts (Meta.ordering adds one).
        return queryset.order_by().annotate(**{**annotations, **values}).values_list(*columns)

    work = rows(
        Work.objects.filter(pk=work_id),
        "w",
        # Anonymity (kept by collections) changes the byline, so it changes the file.
        a=Case(When(concealment__anonymous=True, then=Value(1)), default=zero),
        b=Case(When(concealment__unrevealed=True, then=Value(1)), default=zero),
        t1=F("updated_at"),
        t2=F("revised_at"),
        s1=F("title"),
    )
    chapters = rows(
        Chapter.objects.filter(work_id=work_id, posted=True),
        "c",
        a=F("pk"),
        b=F("position"),
        t1=F("updated_at"),
    )
    tags = rows(Tagging.objects.filter(work_id=work_id), "t", a=F("tag_id"), s1=F("tag__name"))
    creators = rows(
        Creatorship.objects.filter(work_id=work_id, accepted=True),
        "p",
        a=F("pseud_id"),
        s1=F("pseud__name"),
        s2=F("pseud__user__username"),
    )
    return list(work.union(chapters, tags, creators, all=True))


def work_fingerprint(work_id: int, fmt: Format) -> str | None:
    """A short hash of the work's current version for `fmt`; None if the work is gone."""
    rows = sorted("\x1f".join(map(str, row)) for row in _fingerprint_rows(work_id))
    if not any(row.startswith("w\x1f") for row in rows):
        return None
    digest = hashlib.sha256()
    site = (settings.SITE_NAME, getattr(settings, "POLIS_SITE_URL", ""))
    for part in (WRITER_VERSION, fmt.extension, *site, *rows):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\x1e")
    return digest.hexdigest()[:24]


def download_key(work: Work, fmt: Format) -> DownloadKey | None:
    fingerprint = work_fingerprint(work.pk, fmt)
    return DownloadKey(work.pk, fmt.extension, fingerprint) if fingerprint else None


class DownloadCache(ABC):
    """Where generated files live. Every app server and task worker must share it."""

    @abstractmethod
    def get(self, key: DownloadKey) -> Path | None:
        """A local path holding the file for `key`, or None if it is not cached."""

    @abstractmethod
    def put(self, key: DownloadKey, data: bytes) -> Path:
        """Store the file for `key` and delete older versions of the same work and format."""

    @abstractmethod
    def claim(self, key: DownloadKey) -> bool:
        """Mark `key` as being prepared; False if someone else already is."""

    @abstractmethod
    def release(self, key: DownloadKey) -> None:
        """Remove the mark set by claim()."""


class FileSystemDownloadCache(DownloadCache):
    """Files under a directory: `<work id>/<format>-<fingerprint>.<format>`."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def _path(self, key: DownloadKey) -> Path:
        return self.root / key.name

    def _marker(self, key: DownloadKey) -> Path:
        return self.root / f"{key.name}.pending"

    def get(self, key: DownloadKey) -> Path | None:
        path = self._path(key)
        return path if path.is_file() else None

    def put(self, key: DownloadKey, data: bytes) -> Path:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write beside, then rename: readers see the old file or the whole new one.
        handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        for old in path.parent.glob(f"{key.extension}-*.{key.extension}"):
            if old != path:
                old.unlink(missing_ok=True)
        return path

    def claim(self, key: DownloadKey) -> bool:
        marker = self._marker(key)
        marker.parent.mkdir(parents=True, exist_ok=True)
        try:
            # O_EXCL makes the check-and-create atomic across processes.
            os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
            return True
        except FileExistsError:
            try:
                stale = time.time() - marker.stat().st_mtime > PENDING_SECONDS
            except FileNotFoundError:
                return self.claim(key)
            if stale:
                marker.touch()
            return stale

    def release(self, key: DownloadKey) -> None:
        self._marker(key).unlink(missing_ok=True)


def download_cache() -> DownloadCache:
    """The configured cache (POLIS_DOWNLOAD_CACHE: a class path taking the root directory)."""
    path = getattr(settings, "POLIS_DOWNLOAD_CACHE", "")
    cache_class = import_string(path) if path else FileSystemDownloadCache
    return cache_class(Path(settings.DATA_DIR) / "downloads")
