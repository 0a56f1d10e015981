"""Sending a cached download, and sending it to guests again without the full request cycle.

A guest's download of a public work costs an access check and a fingerprint query before the
file is sent, about as long as a page. When the view has just sent a guest such a file, it
remembers a pointer to it for POLIS_DOWNLOAD_GUEST_SECONDS (default 2). Until the pointer
expires, `GuestDownloadMiddleware` (right after WhiteNoise) sends guests the same file with
the same headers, as cheaply as WhiteNoise sends a static file, without sessions, the
database or the view.

A pointer is only good while nothing in the archive has changed since it was made: every
committed change to the search index (an edit, a new chapter, restricting, hiding or
deleting a work — see `polis.search.hooks.register_index_listener`) drops this process's
pointers to those works and touches a stamp file under POLIS_DATA_DIR that every process on
the same data directory checks (one `stat`) before using a pointer. So a restricted or
deleted work is never sent from a pointer after the change commits; the time limit only
bounds what app servers that do not share a data directory may miss. Readers who are logged
in, and restricted works, always go through the view. A pointer whose file is gone is dropped.
"""

import os
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
    return settings.POLIS_DOWNLOAD_GUEST_SECONDS


# (work id, extension) → (monotonic time it lapses, archive stamp, pointer), in this process
# only: each app process trusts only its own view's checks, as a local-memory cache would,
# and it costs a dict lookup instead of a cache call (a sizeable part of such a cheap answer).
_remembered: dict[tuple[int, str], tuple[float, int, Pointer]] = {}
_MAX_REMEMBERED = 10_000


def _stamp_path() -> Path:
    return Path(settings.DATA_DIR) / "downloads-changed"


def archive_stamp() -> int:
    """When the archive last changed, as the stamp file says (0 before the first change)."""
    try:
        return os.stat(_stamp_path()).st_mtime_ns
    except FileNotFoundError:
        return 0


def works_changed(work_ids: list[int]) -> None:
    """A committed change to these works: no pointer made before it may be used again."""
    ids = set(work_ids)
    # list(): other threads may remember files meanwhile; a dict must not change under a loop.
    for key in list(_remembered):
        if key[0] in ids:
            _remembered.pop(key, None)
    path = _stamp_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    # A fresh mtime, distinct even when two changes fall within the clock's resolution.
    stamp = max(time.time_ns(), archive_stamp() + 1)
    path.touch()
    os.utime(path, ns=(stamp, stamp))


def remember_for_guests(
    work_id: int, extension: str, pointer: Pointer, *, stamp: int | None = None
) -> None:
    """Call only after sending a guest a public work's file through the view's checks;
    `stamp` is `archive_stamp()` read before those checks began."""
    seconds = _seconds()
    if seconds <= 0:
        return
    stamp = archive_stamp() if stamp is None else stamp
    now = time.monotonic()
    if len(_remembered) >= _MAX_REMEMBERED:
        for key, (until, _stamp, _pointer) in list(_remembered.items()):
            if until <= now:
                _remembered.pop(key, None)
        if len(_remembered) >= _MAX_REMEMBERED:
            _remembered.clear()
    _remembered[(work_id, extension)] = (now + seconds, stamp, pointer)


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
        if entry[1] != archive_stamp():  # something changed since: ask the view again
            _remembered.pop(key, None)
            return None
        pointer = entry[2]
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
