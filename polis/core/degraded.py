"""Degrade, don't die: when the disk is full or read-only, reads go on and writes get a 503.

A write that fails because storage refuses it (SQLite: "attempt to write a readonly
database", "database or disk is full", a disk I/O error; PostgreSQL: disk full, a read-only
transaction or server; the file system: ENOSPC, EROFS, EDQUOT) is answered with a clear 503
page (JSON under /api/), `Retry-After`, and a log line, instead of a generic 500. The
transaction was rolled back, so nothing is half-saved. Pages that only read keep working
wherever the database can still be read.

Where it cannot even be opened (SQLite: "unable to open database file", as when the data
directory turned read-only under a stopped archive, whose WAL files cannot be made), every
request fails before its view, in the session or user lookup: the 500 handler
(`server_error`) then answers the same 503, with its own message, on a page that needs no
database.
"""

import errno
import logging
import sys

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views import defaults

logger = logging.getLogger(__name__)

MESSAGE = (
    "The archive cannot save changes right now: its storage is full or read-only. "
    "Nothing was saved; reading still works. Please try again later."
)
UNREACHABLE = (
    "The archive cannot open its database right now: its storage is read-only, full or "
    "unavailable. Nothing was saved. Please try again later."
)
_CANNOT_OPEN = "unable to open database file"
_SQLITE_SIGNS = (
    "readonly database",
    "disk is full",
    "disk i/o error",
    "read-only file system",
    _CANNOT_OPEN,
)
# PostgreSQL SQLSTATEs: disk_full, insufficient_resources' out of space, read-only transaction.
_PG_CODES = {"53100", "53000", "25006"}
_OS_ERRNOS = {errno.ENOSPC, errno.EROFS, errno.EDQUOT}


def is_storage_failure(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and not isinstance(exc, ConnectionError):
        return exc.errno in _OS_ERRNOS
    if isinstance(exc, DatabaseError):
        cause = exc.__cause__
        if (
            getattr(cause, "sqlstate", None) in _PG_CODES
            or getattr(cause, "pgcode", None) in _PG_CODES
        ):
            return True
        return any(sign in str(exc).lower() for sign in _SQLITE_SIGNS)
    return False


def storage_failure_message(exc: BaseException) -> str:
    return UNREACHABLE if _CANNOT_OPEN in str(exc).lower() else MESSAGE


def storage_failure_response(
    request: HttpRequest, message: str = MESSAGE, *, standalone: bool = False
) -> HttpResponse:
    """The 503; `standalone`: a page that reads nothing (no session, user or site settings)."""
    if request.path_info.startswith("/api/"):
        # The API's error shape (polis/api/errors.py), which core cannot import.
        response = JsonResponse({"detail": message, "errors": []}, status=503)
    elif standalone:
        body = render_to_string("503_storage.html", {"message": message})
        response = HttpResponse(body, status=503)
    else:
        response = render(request, "503.html", {"message": message}, status=503)
    response["Retry-After"] = "300"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a storage failure outside any view (the database cannot be opened) is the
    clear 503 too; anything else is Django's plain 500 page."""
    exc = sys.exc_info()[1]
    if exc is None or not is_storage_failure(exc):
        return defaults.server_error(request)
    logger.error("Storage failed on %s %s: %s", request.method, request.path, exc)
    return storage_failure_response(request, storage_failure_message(exc), standalone=True)


class StorageFailureMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_storage_failure(exception):
            return None
        logger.error(
            "Storage refused a write on %s %s: %s",
            request.method,
            request.path,
            exception,
            exc_info=exception,
        )
        return storage_failure_response(request, storage_failure_message(exception))
