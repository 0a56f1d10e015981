"""The download view: access, then the cached file, a fresh one, or a "preparing" page."""

from pathlib import Path
from urllib.parse import quote

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from polis.downloads.build import download_build, download_schedule, needs_background
from polis.downloads.cache import DownloadKey, download_cache, download_key
from polis.downloads.formats import Format, format_for
from polis.downloads.preface import download_slug, download_unicode_name
from polis.works.access import RestrictedWork, access_work_for_view
from polis.works.models import Work

REFRESH_SECONDS = 3


def content_disposition(work: Work, fmt: Format) -> str:
    """`attachment` with an ASCII `filename` and, for other scripts, RFC 5987 `filename*`."""
    ascii_name = f"{download_slug(work)}.{fmt.extension}"
    header = f'attachment; filename="{ascii_name}"'
    if not work.title.isascii():
        unicode_name = f"{download_unicode_name(work)}.{fmt.extension}"
        header += f"; filename*=UTF-8''{quote(unicode_name, safe='')}"
    return header


def _etag(key: DownloadKey) -> str:
    return f'"{key.fingerprint}"'


def _file_response(
    request: HttpRequest, work: Work, fmt: Format, key: DownloadKey, path: Path
) -> HttpResponse:
    etag = _etag(key)
    matches = request.headers.get("If-None-Match", "")
    if etag in [tag.strip().removeprefix("W/") for tag in matches.split(",")]:
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = FileResponse(path.open("rb"), content_type=fmt.media_type)
        response["Content-Disposition"] = content_disposition(work, fmt)
    response["ETag"] = etag
    # Restricted works are for logged-in readers only: no shared cache may keep them.
    patch_cache_control(response, no_cache=True, **({"private": True} if work.restricted else {}))
    return response


def _preparing(request: HttpRequest, work: Work, fmt: Format) -> HttpResponse:
    response = render(
        request,
        "downloads/preparing.html",
        {"work": work, "format": fmt, "refresh": REFRESH_SECONDS},
        status=202,
    )
    response["Retry-After"] = str(REFRESH_SECONDS)
    patch_cache_control(response, no_store=True)
    return response


def download(request: HttpRequest, work_id: str, title: str, extension: str) -> HttpResponse:
    fmt = format_for(extension)
    if fmt is None:
        raise Http404("No such format.")
    try:
        work = access_work_for_view(request.user, int(work_id))
    except RestrictedWork:
        raise Http404("No such work.") from None
    if not work.posted:
        raise Http404("No such work.")  # drafts are never downloaded, not even by creators
    key = download_key(work, fmt)
    if key is None:
        raise Http404("No such work.")
    cache = download_cache()
    path = cache.get(key)
    if path is None and needs_background(work, fmt):
        download_schedule(work, fmt, key, cache)
        path = cache.get(key)  # an immediate task backend has already made it
        if path is None:
            return _preparing(request, work, fmt)
    if path is None:
        path = download_build(work, fmt, key, cache)
    return _file_response(request, work, fmt, key, path)
