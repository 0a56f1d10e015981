"""The download views (a work, a series): access, then the cached file, a fresh one, or a
"preparing" page."""

from pathlib import Path
from urllib.parse import quote

from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from polis.accounts.models import User
from polis.core.site_settings import site_settings
from polis.downloads.build import (
    BuildFailed,
    download_build,
    download_schedule,
    needs_background,
    series_download_build,
    series_download_schedule,
    series_needs_background,
)
from polis.downloads.cache import CacheKey, download_cache, download_key, series_download_key
from polis.downloads.formats import Format, available_formats, format_for
from polis.downloads.guest import Pointer, archive_stamp, remember_for_guests, send_file
from polis.downloads.links import download_url, series_download_url
from polis.downloads.preface import download_slug, download_unicode_name
from polis.downloads.series import series_slug, series_unicode_name
from polis.search.service import series_entries
from polis.works.access import RestrictedWork, access_work_for_view
from polis.works.models import Series, Work
from polis.works.series import access_series_for_view

REFRESH_SECONDS = 3


def _disposition(title: str, slug: str, unicode_name: str, fmt: Format) -> str:
    """`attachment` with an ASCII `filename` and, for other scripts, RFC 5987 `filename*`."""
    header = f'attachment; filename="{slug}.{fmt.extension}"'
    if not title.isascii():
        header += f"; filename*=UTF-8''{quote(f'{unicode_name}.{fmt.extension}', safe='')}"
    return header


def content_disposition(work: Work, fmt: Format) -> str:
    return _disposition(work.title, download_slug(work), download_unicode_name(work), fmt)


def series_content_disposition(series: Series, fmt: Format) -> str:
    return _disposition(series.title, series_slug(series), series_unicode_name(series), fmt)


def _etag(key: CacheKey) -> str:
    return f'"{key.fingerprint}"'


def _file_response(
    request: HttpRequest,
    fmt: Format,
    key: CacheKey,
    path: Path,
    *,
    disposition: str,
    private: bool,
) -> HttpResponse:
    return send_file(
        request,
        path=path,
        etag=_etag(key),
        media_type=fmt.media_type,
        disposition=disposition,
        private=private,
    )


def _preparing(request: HttpRequest, fmt: Format, *, title: str, url: str) -> HttpResponse:
    response = render(
        request,
        "downloads/preparing.html",
        {"title": title, "url": url, "format": fmt, "refresh": REFRESH_SECONDS},
        status=202,
    )
    response["Retry-After"] = str(REFRESH_SECONDS)
    patch_cache_control(response, no_store=True)
    return response


DOWNLOADS_OFF = "Downloads are turned off on this archive for now; please try again later."


def _downloads_off(request: HttpRequest) -> HttpResponse:
    """Staff turned downloads off in the site settings: 503, and a page that says so."""
    response = render(request, "downloads/off.html", {"message": DOWNLOADS_OFF}, status=503)
    patch_cache_control(response, no_store=True)
    return response


def _not_built(
    request: HttpRequest, fmt: Format, *, title: str, url: str, others: list[tuple[str, str]]
) -> HttpResponse:
    """This version cannot be made in this format (remembered until the work changes)."""
    context = {"title": title, "url": url, "format": fmt, "others": others}
    response = render(request, "downloads/failed.html", context, status=422)
    patch_cache_control(response, no_store=True)
    return response


def _other_formats(fmt: Format, url_of) -> list[tuple[str, str]]:
    return [(f.label, url_of(f.extension)) for f in available_formats() if f != fmt]


def _work_not_built(request: HttpRequest, work: Work, fmt: Format) -> HttpResponse:
    others = _other_formats(fmt, lambda extension: download_url(work, extension))
    url = work.get_absolute_url()
    return _not_built(request, fmt, title=work.title, url=url, others=others)


def _series_not_built(request: HttpRequest, series: Series, fmt: Format) -> HttpResponse:
    others = _other_formats(fmt, lambda extension: series_download_url(series, extension))
    url = series.get_absolute_url()
    return _not_built(request, fmt, title=series.title, url=url, others=others)


def download(request: HttpRequest, work_id: str, title: str, extension: str) -> HttpResponse:
    return work_download_response(request, request.user, int(work_id), extension)


def work_download_response(
    request: HttpRequest, viewer: User | AnonymousUser, work_id: int, extension: str
) -> HttpResponse:
    """A work's file for `viewer` (the session's user, or whom an OPDS token names)."""
    if not site_settings().downloads:
        return _downloads_off(request)
    fmt = format_for(extension)
    if fmt is None:
        raise Http404("No such format.")
    # Before the checks: a change committed while they run makes the pointer below unusable.
    stamp = archive_stamp()
    try:
        work = access_work_for_view(viewer, work_id)
    except RestrictedWork:
        raise Http404("No such work.") from None
    if not work.posted:
        raise Http404("No such work.")  # drafts are never downloaded, not even by creators
    key = download_key(work, fmt)
    if key is None:
        raise Http404("No such work.")
    cache = download_cache()
    path = cache.get(key)
    if path is None and cache.failure(key) is not None:
        return _work_not_built(request, work, fmt)
    if path is None and needs_background(work, fmt):
        download_schedule(work, fmt, key, cache)
        path = cache.get(key)  # an immediate task backend has already made it
        if path is None and cache.failure(key) is not None:
            return _work_not_built(request, work, fmt)
        if path is None:
            return _preparing(request, fmt, title=work.title, url=work.get_absolute_url())
    if path is None:
        try:
            path = download_build(work, fmt, key, cache)
        except BuildFailed:
            return _work_not_built(request, work, fmt)
    disposition = content_disposition(work, fmt)
    if not viewer.is_authenticated and not work.restricted:
        # Checked as a guest: guests may be sent this file again for a moment without checks.
        pointer = Pointer(str(path), path.stat().st_size, _etag(key), fmt.media_type, disposition)
        remember_for_guests(work.pk, fmt.extension, pointer, stamp=stamp)
    return _file_response(request, fmt, key, path, disposition=disposition, private=work.restricted)


def series_download(
    request: HttpRequest, series_id: str, title: str, extension: str
) -> HttpResponse:
    """A whole series as one book: the works this reader may see in it, in series order."""
    if not site_settings().downloads:
        return _downloads_off(request)
    fmt = format_for(extension)
    if fmt is None:
        raise Http404("No such format.")
    series = access_series_for_view(request.user, int(series_id))
    works = [entry.work for entry in series_entries(viewer=request.user, series=series)]
    key = series_download_key(series, works, fmt) if works else None
    if key is None:
        raise Http404("No such series.")
    cache = download_cache()
    path = cache.get(key)
    if path is None and cache.failure(key) is not None:
        return _series_not_built(request, series, fmt)
    if path is None and series_needs_background(works, fmt):
        series_download_schedule(series, works, fmt, key, cache)
        path = cache.get(key)
        if path is None and cache.failure(key) is not None:
            return _series_not_built(request, series, fmt)
        if path is None:
            return _preparing(request, fmt, title=series.title, url=series.get_absolute_url())
    if path is None:
        try:
            path = series_download_build(series, works, fmt, key, cache)
        except BuildFailed:
            return _series_not_built(request, series, fmt)
    # Which works a file holds depends on the reader (logged in, muting): never shared.
    private = request.user.is_authenticated or any(work.restricted for work in works)
    disposition = series_content_disposition(series, fmt)
    return _file_response(request, fmt, key, path, disposition=disposition, private=private)
