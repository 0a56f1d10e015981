"""Making a download: render a format, store it in the cache, or queue it for a worker.

A series is made the same way as a work, from the list of works a reader may see in it.
"""

import logging
import signal
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError

from polis.downloads.cache import (
    CacheKey,
    DownloadCache,
    DownloadKey,
    SeriesDownloadKey,
    download_cache,
    download_key,
    series_download_key,
)
from polis.downloads.calibre import convert_epub
from polis.downloads.epub import write_epub, write_series_epub
from polis.downloads.formats import FORMATS, Format
from polis.downloads.html import write_html, write_series_html
from polis.downloads.pdf import pdf_warm_up, write_pdf, write_series_pdf
from polis.downloads.preface import Book, book_for
from polis.downloads.series import SeriesBook, series_book_for
from polis.works.models import Series, SeriesWork, Work

# Typesetting is far slower than writing markup (measured: a 20,000-word PDF takes ~6 s, a
# 100,000-word EPUB ~0.2 s), so PDFs above a fifth of the limit go to the worker.
WORD_COST = {"pdf": 5}

# How many files this process has rendered, per format: tests read it to prove a cache hit.
renders: Counter[str] = Counter()

log = logging.getLogger(__name__)


class BuildTimeout(BaseException):
    """The build ran past POLIS_DOWNLOAD_BUILD_SECONDS. A BaseException, so that no
    `except Exception` inside a writer can swallow it."""


class BuildFailed(Exception):
    """This version of the work (or series) cannot be made in this format; it is remembered."""

    def __init__(self, key: CacheKey, reason: str) -> None:
        super().__init__(reason)
        self.key = key
        self.reason = reason


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise BuildTimeout in this thread after `seconds` (SIGALRM: the main thread only, as
    in the task worker and the CLI; request threads build small works without an alarm)."""
    usable = (
        seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    fired = []

    def expired(signum, frame):
        fired.append(True)
        raise BuildTimeout(f"took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expired)
    # Fires again every half second: a raise inside a C library's callback (WeasyPrint's
    # font code) is swallowed there, and the next one lands back in Python.
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.5)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    if fired:  # every raise was swallowed and the build finished: it still took too long
        raise BuildTimeout(f"took longer than {seconds:g} s")


def _limited(key: CacheKey, cache: DownloadCache, make: Callable[[], bytes]) -> bytes:
    """`make()` under the time limit; a failure of this content is remembered for `key`.

    Database and disk errors are the server's, not the content's: they are raised as they
    are and the next request tries again.
    """
    if key.extension == "pdf":
        pdf_warm_up()  # outside the alarm (see there)
    try:
        with time_limit(settings.POLIS_DOWNLOAD_BUILD_SECONDS):
            return make()
    except (DatabaseError, OSError):
        raise
    except (Exception, BuildTimeout) as error:
        reason = f"{type(error).__name__}: {error}"[:500]
        log.warning("download %s could not be built: %s", key.name, reason)
        cache.fail(key, reason)
        raise BuildFailed(key, reason) from error


def render_book(book: Book, fmt: Format) -> bytes:
    """The bytes of `book` in `fmt` (calibre formats go through our EPUB)."""
    renders[fmt.extension] += 1
    if fmt.extension == "epub":
        return write_epub(book)
    if fmt.extension == "pdf":
        return write_pdf(book)
    if fmt.extension == "html":
        return write_html(book)
    return convert_epub(write_epub(book), fmt)


def _epub_for(work: Work, book: Book, cache: DownloadCache) -> bytes:
    """The EPUB of this version, from the cache when it is there (calibre starts from it)."""
    epub = FORMATS["epub"]
    key = download_key(work, epub)
    path = cache.get(key) if key else None
    if path is not None:
        return path.read_bytes()
    data = render_book(book, epub)
    if key is not None:
        cache.put(key, data)
    return data


def download_build(work: Work, fmt: Format, key: DownloadKey, cache: DownloadCache) -> Path:
    """Render `work` in `fmt` now and store it under `key`; BuildFailed if it cannot be."""
    book = book_for(work)

    def make() -> bytes:
        if fmt.needs_calibre:
            renders[fmt.extension] += 1
            return convert_epub(_epub_for(work, book, cache), fmt)
        return render_book(book, fmt)

    return cache.put(key, _limited(key, cache, make))


def needs_background(work: Work, fmt: Format) -> bool:
    """Big works, and calibre (slow to start), are prepared by a worker, not in a request."""
    limit = settings.POLIS_DOWNLOAD_SYNC_WORDS
    return fmt.needs_calibre or work.word_count * WORD_COST.get(fmt.extension, 1) > limit


def download_schedule(work: Work, fmt: Format, key: DownloadKey, cache: DownloadCache) -> bool:
    """Queue the preparation of `key` unless it is already queued; True if queued now."""
    from polis.downloads.tasks import download_prepare

    if not cache.claim(key):
        return False
    try:
        download_prepare.enqueue(work.pk, fmt.extension, key.fingerprint)
    except Exception:
        cache.release(key)
        raise
    return True


def download_prepare_now(work_id: int, extension: str, fingerprint: str) -> str | None:
    """What the task does: build the current version unless it is cached already.

    If rendering fails the pending mark stays, so readers waiting on the "preparing" page do
    not set off a retry every few seconds; the mark expires after PENDING_SECONDS.
    """
    cache = download_cache()
    claimed = DownloadKey(work_id, extension, fingerprint)
    work = Work.objects.filter(pk=work_id, posted=True).first()
    key = download_key(work, FORMATS[extension]) if work else None
    if key is None:
        cache.release(claimed)  # deleted or made a draft meanwhile
        return None
    try:
        path = None if cache.failure(key) else cache.get(key)
        path = path or download_build(work, FORMATS[extension], key, cache)
    except BuildFailed:
        path = None  # remembered: the page says so, and no request or retry builds it again
    finally:
        cache.release(claimed)
        cache.release(key)  # the work changed since it was queued: the newer mark is done too
    return str(path) if path else None


def download_get_or_build(work: Work, fmt: Format) -> Path:
    """The cached file for the current version, built now if missing (CLI and small works)."""
    cache = download_cache()
    key = download_key(work, fmt)
    if key is None:
        raise Work.DoesNotExist(work.pk)
    if (reason := cache.failure(key)) is not None:
        raise BuildFailed(key, reason)
    return cache.get(key) or download_build(work, fmt, key, cache)


# Series ----------------------------------------------------------------------------------


def render_series(book: SeriesBook, fmt: Format) -> bytes:
    """The bytes of a series in `fmt` (calibre formats go through our EPUB)."""
    renders[fmt.extension] += 1
    if fmt.extension == "epub":
        return write_series_epub(book)
    if fmt.extension == "pdf":
        return write_series_pdf(book)
    if fmt.extension == "html":
        return write_series_html(book)
    return convert_epub(write_series_epub(book), fmt)


def series_download_build(
    series: Series, works: list[Work], fmt: Format, key: SeriesDownloadKey, cache: DownloadCache
) -> Path:
    """Render `works` of `series` (in this order) in `fmt` now and store it under `key`."""
    book = series_book_for(series, works)
    if not fmt.needs_calibre:
        return cache.put(key, _limited(key, cache, lambda: render_series(book, fmt)))
    epub = FORMATS["epub"]
    epub_key = series_download_key(series, works, epub)

    def make() -> bytes:
        path = cache.get(epub_key) if epub_key else None
        if path is not None:
            data = path.read_bytes()
        else:
            data = render_series(book, epub)
            if epub_key is not None:
                cache.put(epub_key, data)
        renders[fmt.extension] += 1
        return convert_epub(data, fmt)

    return cache.put(key, _limited(key, cache, make))


def series_needs_background(works: list[Work], fmt: Format) -> bool:
    """As for a work, by the words of every included work together."""
    limit = settings.POLIS_DOWNLOAD_SYNC_WORDS
    words = sum(work.word_count for work in works)
    return fmt.needs_calibre or words * WORD_COST.get(fmt.extension, 1) > limit


def series_download_schedule(
    series: Series, works: list[Work], fmt: Format, key: SeriesDownloadKey, cache: DownloadCache
) -> bool:
    """Queue the preparation of `key` unless it is already queued; True if queued now."""
    from polis.downloads.tasks import series_download_prepare

    if not cache.claim(key):
        return False
    try:
        work_ids = [work.pk for work in works]
        series_download_prepare.enqueue(series.pk, fmt.extension, work_ids, key.fingerprint)
    except Exception:
        cache.release(key)
        raise
    return True


def series_works(series: Series, work_ids: list[int]) -> list[Work]:
    """Those of `work_ids` still posted in `series`, in series order (for the worker, which
    builds what the reader who asked could see, never more)."""
    entries = SeriesWork.objects.filter(series=series, work_id__in=work_ids, work__posted=True)
    return [entry.work for entry in entries.select_related("work").order_by("position", "pk")]


def series_download_prepare_now(
    series_id: int, extension: str, work_ids: list[int], fingerprint: str
) -> str | None:
    """What the task does: build the series as it is now, from the works it was asked for.

    The file is stored under the key of the works still there, so it is served only to
    readers who see exactly those works.
    """
    cache = download_cache()
    fmt = FORMATS[extension]
    series = Series.objects.filter(pk=series_id).first()
    works = series_works(series, work_ids) if series else []
    claimed = SeriesDownloadKey(
        series_id, SeriesDownloadKey.selection_of(work_ids), extension, fingerprint
    )
    key = series_download_key(series, works, fmt) if series and works else None
    if key is None:
        cache.release(claimed)  # deleted, or nothing left to read
        return None
    try:
        path = None if cache.failure(key) else cache.get(key)
        path = path or series_download_build(series, works, fmt, key, cache)
    except BuildFailed:
        path = None
    finally:
        cache.release(claimed)
        cache.release(key)
    return str(path) if path else None


def series_download_get_or_build(series: Series, works: list[Work], fmt: Format) -> Path:
    """The cached file for these works of the series, built now if missing (CLI)."""
    cache = download_cache()
    key = series_download_key(series, works, fmt)
    if key is None:
        raise Series.DoesNotExist(series.pk)
    if (reason := cache.failure(key)) is not None:
        raise BuildFailed(key, reason)
    return cache.get(key) or series_download_build(series, works, fmt, key, cache)
