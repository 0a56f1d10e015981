"""Input no database can store: NUL characters and lone UTF-16 surrogates.

PostgreSQL refuses NUL in text, and neither database can encode a lone surrogate (which JSON's
`"\\ud800"` produces) as UTF-8. Both are refused where input arrives, by name, instead of failing
in the database with a 500: the address and query string here (middleware), JSON bodies in the
API's parser, and form fields through Django's own validators.
"""

import re
from collections.abc import Iterator

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

UNSTORABLE = "This text contains a character that cannot be stored (NUL or a lone surrogate)."
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")

JsonPath = tuple[str | int, ...]


def is_storable(text: str) -> bool:
    return _UNSTORABLE.search(text) is None


def unstorable_paths(data: object) -> Iterator[JsonPath]:
    """Where in parsed JSON a key or string holds unstorable characters (walked iteratively)."""
    todo: list[tuple[JsonPath, object]] = [((), data)]
    while todo:
        path, value = todo.pop()
        if isinstance(value, str):
            if not is_storable(value):
                yield path
        elif isinstance(value, dict):
            for key, item in reversed(value.items()):
                if not is_storable(key):
                    yield (*path, key)
                else:
                    todo.append(((*path, key), item))
        elif isinstance(value, list):
            todo.extend(((*path, index), item) for index, item in reversed(list(enumerate(value))))


def _refusal(request: HttpRequest, status: int, field: str | None) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        # The API's error shape (polis/api/errors.py), which core cannot import.
        detail = "Not found." if status == 404 else "The request is not valid."
        errors = [] if field is None else [{"field": field, "message": UNSTORABLE}]
        return JsonResponse({"detail": detail, "errors": errors}, status=status)
    if status == 404:
        return render(request, "404.html", status=404)
    message = f"{UNSTORABLE} Remove it from “{field or 'the address'}” and try again."
    return render(request, "400.html", {"message": message}, status=400)


class StorableInputMiddleware:
    """An address holding NUL or a lone surrogate names nothing (404); a query-string
    parameter holding one is refused (400, naming it in the API)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_storable(request.path_info):
            return _refusal(request, 404, None)
        for key, values in request.GET.lists():
            if not is_storable(key) or not all(is_storable(value) for value in values):
                return _refusal(request, 400, key if is_storable(key) else None)
        return self.get_response(request)
