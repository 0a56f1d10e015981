"""The download cache: one file per version of a work (or series) and format, behind a small
interface."""

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
from polis.works.models import Chapter, Creatorship, Series, Tagging, Work

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


@dataclass(frozen=True)
class SeriesDownloadKey:
    """One version of a series, as readers who see the same works see it, in one format.

    `selection` names the set of works included: readers who see different works of a series
    (logged in or not, muting someone) get different files, kept side by side instead of
    evicting each other.
    """

    series_id: int
    selection: str
    extension: str
    fingerprint: str

    @staticmethod
    def selection_of(work_ids: list[int]) -> str:
        """A short name for a set of works (order left out: reordering replaces the file)."""
        joined = ",".join(str(work_id) for work_id in sorted(set(work_ids)))
        return hashlib.sha256(joined.encode()).hexdigest()[:12]

    @property
    def name(self) -> str:
        folder = f"series-{self.series_id}/{self.selection}"
        return f"{folder}/{self.extension}-{self.fingerprint}.{self.extension}"


CacheKey = DownloadKey | SeriesDownloadKey


def _fingerprint_rows(work_ids: list[int]) -> list[tuple]:
    """Everything a file shows that can change, in ONE query (a UNION ALL of four selects).

    Each row starts with the id of the work it belongs to.
    """
    no_time = Value(None, output_field=DateTimeField())
    no_text = Value("", output_field=CharField())
    zero = Value(0, output_field=IntegerField())
    columns = ("wid", "k", "a", "b", "t1", "t2", "s1", "s2")

    def rows(queryset, kind: str, work_column: str, **values):
        defaults = {"a": zero, "b": zero, "t1": no_time, "t2": no_time, "s1": no_text}
        annotations = {
            "wid": F(work_column),
            "k": Value(kind, output_field=CharField()),
            **defaults,
            "s2": no_text,
        }
        # No ORDER BY: compound statements forbid it in their parts (Meta.ordering adds one).
        return queryset.order_by().annotate(**{**annotations, **values}).values_list(*columns)

    work = rows(
        Work.objects.filter(pk__in=work_ids),
        "w",
        "pk",
        # Anonymity changes the byline, so it changes the file.
        a=Case(When(anonymous=True, then=Value(1)), default=zero),
        b=Case(When(unrevealed=True, then=Value(1)), default=zero),
        t1=F("updated_at"),
        t2=F("revised_at"),
        s1=F("title"),
    )
    chapters = rows(
        Chapter.objects.filter(work_id__in=work_ids, posted=True),
        "c",
        "work_id",
        a=F("pk"),
        b=F("position"),
        t1=F("updated_at"),
    )
    tags = rows(
        Tagging.objects.filter(work_id__in=work_ids),
        "t",
        "work_id",
        a=F("tag_id"),
        s1=F("tag__name"),
    )
    creators = rows(
        Creatorship.objects.filter(work_id__in=work_ids, accepted=True),
        "p",
        "work_id",
        a=F("pseud_id"),
        s1=F("pseud__name"),
        s2=F("pseud__user__username"),
    )
    return list(work.union(chapters, tags, creators, all=True))


def _rows_by_work(work_ids: list[int]) -> dict[int, list[str]]:
    """Each work's rows as sorted strings (works that are gone have none)."""
    grouped: dict[int, list[str]] = {}
    for row in _fingerprint_rows(work_ids):
        grouped.setdefault(row[0], []).append("\x1f".join(map(str, row[1:])))
    return {work_id: sorted(rows) for work_id, rows in grouped.items()}


def _digest(extension: str, *parts: str) -> str:
    digest = hashlib.sha256()
    site = (settings.SITE_NAME, settings.POLIS_SITE_URL)
    for part in (WRITER_VERSION, extension, *site, *parts):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\x1e")
    return digest.hexdigest()[:24]


def work_fingerprint(work_id: int, fmt: Format) -> str | None:
    """A short hash of the work's current version for `fmt`; None if the work is gone."""
    rows = _rows_by_work([work_id]).get(work_id, [])
    if not any(row.startswith("w\x1f") for row in rows):
        return None
    return _digest(fmt.extension, *rows)


def download_key(work: Work, fmt: Format) -> DownloadKey | None:
    fingerprint = work_fingerprint(work.pk, fmt)
    return DownloadKey(work.pk, fmt.extension, fingerprint) if fingerprint else None


def series_fingerprint(series_id: int, work_ids: list[int], fmt: Format) -> str | None:
    """A short hash of the series and of each included work, in order; None if any is gone.

    Two queries whatever the number of works.
    """
    series = (
        Series.objects.filter(pk=series_id)
        .values_list("title", "summary", "notes", "updated_at")
        .first()
    )
    if series is None or not work_ids:
        return None
    by_work = _rows_by_work(work_ids)
    parts = ["series", *map(str, series)]
    for work_id in work_ids:
        rows = by_work.get(work_id, [])
        if not any(row.startswith("w\x1f") for row in rows):
            return None
        parts.extend([f"work {work_id}", *rows])
    return _digest(fmt.extension, *parts)


def series_download_key(series: Series, works: list[Work], fmt: Format) -> SeriesDownloadKey | None:
    """The key of `series` holding exactly `works`, in this order, in `fmt`."""
    work_ids = [work.pk for work in works]
    fingerprint = series_fingerprint(series.pk, work_ids, fmt)
    if fingerprint is None:
        return None
    return SeriesDownloadKey(
        series.pk, SeriesDownloadKey.selection_of(work_ids), fmt.extension, fingerprint
    )


class DownloadCache(ABC):
    """Where generated files live. Every app server and task worker must share it."""

    @abstractmethod
    def get(self, key: CacheKey) -> Path | None:
        """A local path holding the file for `key`, or None if it is not cached."""

    @abstractmethod
    def put(self, key: CacheKey, data: bytes) -> Path:
        """Store the file for `key` and delete older versions of the same work and format."""

    @abstractmethod
    def claim(self, key: CacheKey) -> bool:
        """Mark `key` as being prepared; False if someone else already is."""

    @abstractmethod
    def release(self, key: CacheKey) -> None:
        """Remove the mark set by claim()."""

    @abstractmethod
    def fail(self, key: CacheKey, reason: str) -> None:
        """Remember that `key` could not be built (this version and format only)."""

    @abstractmethod
    def failure(self, key: CacheKey) -> str | None:
        """Why `key` could not be built, or None if it never failed."""


class FileSystemDownloadCache(DownloadCache):
    """Files under a directory: `<work id>/<format>-<fingerprint>.<format>`, and for series
    `series-<id>/<selection>/<format>-<fingerprint>.<format>`."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def _path(self, key: CacheKey) -> Path:
        return self.root / key.name

    def _marker(self, key: CacheKey) -> Path:
        return self.root / f"{key.name}.pending"

    def _failed(self, key: CacheKey) -> Path:
        return self.root / f"{key.name}.failed"

    def _forget_other_versions(self, key: CacheKey, keep: Path, pattern: str) -> None:
        for old in keep.parent.glob(pattern):
            if old != keep:
                old.unlink(missing_ok=True)

    def get(self, key: CacheKey) -> Path | None:
        path = self._path(key)
        return path if path.is_file() else None

    def put(self, key: CacheKey, data: bytes) -> Path:
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
        self._forget_other_versions(key, path, f"{key.extension}-*.{key.extension}")
        self._forget_other_versions(key, path, f"{key.extension}-*.{key.extension}.failed")
        return path

    def claim(self, key: CacheKey) -> bool:
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

    def release(self, key: CacheKey) -> None:
        self._marker(key).unlink(missing_ok=True)

    def fail(self, key: CacheKey, reason: str) -> None:
        marker = self._failed(key)
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(reason[:2000], encoding="utf-8", errors="replace")
        # Failures of older versions are no longer asked for.
        self._forget_other_versions(key, marker, f"{key.extension}-*.{key.extension}.failed")

    def failure(self, key: CacheKey) -> str | None:
        try:
            return self._failed(key).read_text(encoding="utf-8", errors="replace") or "failed"
        except FileNotFoundError:
            return None


def download_cache() -> DownloadCache:
    """The configured cache (POLIS_DOWNLOAD_CACHE: a class path taking the root directory)."""
    path = settings.POLIS_DOWNLOAD_CACHE
    cache_class = import_string(path) if path else FileSystemDownloadCache
    return cache_class(Path(settings.DATA_DIR) / "downloads")
