"""Sending a cached download, and sending it to guests again without the full request cycle.

A guest's download of a public work costs an access check and a fingerprint query before the
file is sent, about as long as a page. When the view has just sent a guest such a file, it
remembers a pointer to it for POLIS_DOWNLOAD_GUEST_SECONDS (default 2). Until the
pointer expires, `GuestDownloadMiddleware` (right after WhiteNoise) sends guests the same file
with the same headers, as cheaply as WhiteNoise sends a static file, without sessions, the
database or the view. A change to the work (an edit, a new chapter, restricting or deleting
it) therefore reaches guests up to that many seconds late; readers who are logged in, and
restricted works, always go through the view. A pointer whose file is gone is dropped.
"""

import re
import time
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control

from polis.downloads.formats import FORMATS

_DOWNLOAD_URL = re.compile(
    rf"^/downloads/(?P<work_id>[0-9]{{1,18}})/.*\.(?P<extension>{'|'.join(FORMATS)})\Z"
)


class Pointer(NamedTuple):
    """Everything needed to send a cached file again: no model, no query. A plain tuple, so
    the cache stores and loads it quickly."""

    path: str
    size: int
    etag: str
    media_type: str
    disposition: str


class _PointedFileResponse(FileResponse):
    """A FileResponse whose headers come from the pointer, like WhiteNoise's responses: it
    neither measures the file nor works out a disposition."""

    def set_headers(self, filelike) -> None:
        pass


def send_file(
    request: HttpRequest,
    *,
    path: Path | str,
    etag: str,
    media_type: str,
    disposition: str,
    private: bool,
) -> HttpResponse:
    """The file, or 304 when the reader already has this version (`If-None-Match`)."""
    matches = request.headers.get("If-None-Match", "")
    if etag in [tag.strip().removeprefix("W/") for tag in matches.split(",")]:
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = FileResponse(open(path, "rb"), content_type=media_type)  # noqa: SIM115
        response["Content-Disposition"] = disposition
    response["ETag"] = etag
    # Restricted works are for logged-in readers only: no shared cache may keep them.
    patch_cache_control(response, no_cache=True, **({"private": True} if private else {}))
    return response


def _seconds() -> int:
    return int(getattr(settings, "POLIS_DOWNLOAD_GUEST_SECONDS", 2))


# (work id, extension) → (monotonic time it lapses, pointer), in this process only: each app
# process trusts only its own view's checks, as a local-memory cache would, and it costs a
# dict lookup instead of a cache call (a sizeable part of such a cheap answer).
_remembered: dict[tuple[int, str], tuple[float, Pointer]] = {}
_MAX_REMEMBERED = 10_000


def remember_for_guests(work_id: int, extension: str, pointer: Pointer) -> None:
    """Call only after sending a guest a public work's file through the view's checks."""
    seconds = _seconds()
    if seconds <= 0:
        return
    now = time.monotonic()
    if len(_remembered) >= _MAX_REMEMBERED:
        for key, (until, _pointer) in list(_remembered.items()):
            if until <= now:
                _remembered.pop(key, None)
        if len(_remembered) >= _MAX_REMEMBERED:
            _remembered.clear()
    _remembered[(work_id, extension)] = (now + seconds, pointer)


def forget_all() -> None:
    """Forget every pointer (tests: ids come back after a rollback)."""
    _remembered.clear()


class GuestDownloadMiddleware:
    """Sends a guest a cached download the view sent a guest moments ago (see above)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # No session cookie: nobody is logged in, and no session could change the answer.
        if request.method == "GET" and settings.SESSION_COOKIE_NAME not in request.COOKIES:
            match = _DOWNLOAD_URL.match(request.path_info)
            if match is not None:
                response = self._from_pointer(request, match["work_id"], match["extension"])
                if response is not None:
                    return response
        return self.get_response(request)

    def _from_pointer(self, request: HttpRequest, work_id: str, extension: str):
        key = (int(work_id), extension)
        entry = _remembered.get(key)
        if entry is None or entry[0] <= time.monotonic():
            return None
        pointer = entry[1]
        path, size, etag, media_type, disposition = pointer
        try:
            # META, not request.headers: building that mapping costs more than the rest.
            if "HTTP_IF_NONE_MATCH" in request.META:  # rare from downloaders: the view's answer
                return send_file(
                    request,
                    path=path,
                    etag=etag,
                    media_type=media_type,
                    disposition=disposition,
                    private=False,
                )
            response = _PointedFileResponse(open(path, "rb"), content_type=media_type)  # noqa: SIM115
        except FileNotFoundError:  # replaced by a newer version, or evicted
            _remembered.pop(key, None)
            return None
        # The headers send_file() gives for a public work, without working them out again.
        response["Content-Length"] = str(size)
        response["Content-Disposition"] = disposition
        response["ETag"] = etag
        response["Cache-Control"] = "no-cache"
        response["Vary"] = "Cookie"  # as the view's answer, which looks at the session
        return response
