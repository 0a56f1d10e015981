"""Making a download: render a format, store it in the cache, or queue it for a worker."""

from collections import Counter
from pathlib import Path

from django.conf import settings

from polis.downloads.cache import DownloadCache, DownloadKey, download_cache, download_key
from polis.downloads.calibre import convert_epub
from polis.downloads.epub import write_epub
from polis.downloads.formats import FORMATS, Format
from polis.downloads.html import write_html
from polis.downloads.pdf import write_pdf
from polis.downloads.preface import Book, book_for
from polis.works.models import Work

DEFAULT_SYNC_WORDS = 100_000
# Typesetting is far slower than writing markup (measured: a 20,000-word PDF takes ~6 s, a
# 100,000-word EPUB ~0.2 s), so PDFs above a fifth of the limit go to the worker.
WORD_COST = {"pdf": 5}

# How many files this process has rendered, per format: tests read it to prove a cache hit.
renders: Counter[str] = Counter()


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
    """Render `work` in `fmt` now and store it under `key`."""
    book = book_for(work)
    if fmt.needs_calibre:
        renders[fmt.extension] += 1
        data = convert_epub(_epub_for(work, book, cache), fmt)
    else:
        data = render_book(book, fmt)
    return cache.put(key, data)


def needs_background(work: Work, fmt: Format) -> bool:
    """Big works, and calibre (slow to start), are prepared by a worker, not in a request."""
    limit = getattr(settings, "POLIS_DOWNLOAD_SYNC_WORDS", DEFAULT_SYNC_WORDS)
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
    path = cache.get(key) or download_build(work, FORMATS[extension], key, cache)
    cache.release(claimed)
    cache.release(key)  # the work changed since it was queued: the newer mark is done too
    return str(path)


def download_get_or_build(work: Work, fmt: Format) -> Path:
    """The cached file for the current version, built now if missing (CLI and small works)."""
    cache = download_cache()
    key = download_key(work, fmt)
    if key is None:
        raise Work.DoesNotExist(work.pk)
    return cache.get(key) or download_build(work, fmt, key, cache)
