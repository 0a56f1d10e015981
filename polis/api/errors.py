"""One error shape for every 4xx: `{"detail": "...", "errors": [{"field", "message"}]}`."""

# Field names are the request's own (`title`, `per_page`, `chapters[1].text`); an error about
# the request as a whole has `"field": null`.

import json
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

from polis.accounts.standing import AccountRestricted
from polis.core import degraded
from polis.core.storable import UNSTORABLE, unstorable_paths
from polis.core.views import TOO_BIG

FieldError = tuple[str | None, str]

# Friendlier words for pydantic's error types; others keep pydantic's message.
_MESSAGES = {
    "extra_forbidden": "Unknown field.",
    "missing": "This field is required.",
    "json_invalid": "The body is not valid JSON.",
}


class ApiValidationError(Exception):
    """Raised by endpoints with errors already named by request field; answers 400."""

    def __init__(self, errors: Iterable[FieldError], detail: str = "") -> None:
        self.errors = list(dict.fromkeys(errors))  # same field and message once
        self.detail = detail or "The request could not be processed."
        super().__init__(self.errors)


def field_path(loc: Iterable[str | int]) -> str | None:
    """`("chapters", 1, "text")` → `chapters[1].text`."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or None


def _request_loc(loc: tuple) -> tuple:
    # ninja prefixes the source ("body", "query", "path") and, for bodies, the parameter's
    # name; neither is something the caller typed.
    source, rest = loc[0], tuple(loc[1:])
    if source == "body" and rest:
        rest = rest[1:]
    return rest


def error_body(detail: str, errors: Iterable[FieldError] = ()) -> dict:
    return {
        "detail": detail,
        "errors": [{"field": field, "message": message} for field, message in errors],
    }


def django_errors(error: DjangoValidationError, *, rename: dict | None = None) -> list[FieldError]:
    """A Django ValidationError as (field, message) pairs; `__all__` becomes None."""
    rename = rename or {}
    if not hasattr(error, "error_dict"):
        return [(None, message) for message in error.messages]
    pairs = []
    for field, errors in error.error_dict.items():
        name = None if field == "__all__" else rename.get(field, field)
        for item in errors:
            pairs.extend((name, message) for message in item.messages)
    return pairs


class UnstorableBody(Exception):
    """A JSON body with strings no database can store, by field (answered 422)."""

    def __init__(self, fields: list[str | None]) -> None:
        self.errors = [(field, UNSTORABLE) for field in fields]
        super().__init__(self.errors)


class StorableJsonParser(Parser):
    """JSON bodies, refusing NUL and lone surrogates (`"\\ud800"`) in any key or string."""

    def parse_body(self, request: HttpRequest) -> dict:
        data = json.loads(request.body)
        fields = [field_path(path) for path in unstorable_paths(data)]
        if fields:
            raise UnstorableBody(fields)
        return data


def install(api: NinjaAPI) -> None:
    """Register the handlers that give every error the shape above."""

    def respond(request: HttpRequest, status: int, body: dict) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(NinjaValidationError)
    def request_invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = [
            (
                field_path(_request_loc(tuple(item.get("loc", ())))),
                _MESSAGES.get(item.get("type", ""), item.get("msg", "Invalid value.")),
            )
            for item in exc.errors
        ]
        return respond(request, 422, error_body("The request is not valid.", errors))

    @api.exception_handler(ApiValidationError)
    def action_refused(request: HttpRequest, exc: ApiValidationError) -> HttpResponse:
        return respond(request, 400, error_body(exc.detail, exc.errors))

    @api.exception_handler(DjangoValidationError)
    def django_invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        body = error_body("The request could not be processed.", django_errors(exc))
        return respond(request, 400, body)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, error_body("Not found."))

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        # A suspended or banned account is told why (and until when); other refusals
        # say no more than that.
        detail = str(exc) if isinstance(exc, AccountRestricted) else "You may not do this."
        return respond(request, 403, error_body(detail))

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        detail = TOO_BIG.format(limit=settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        return respond(request, 413, error_body(detail))

    @api.exception_handler(DatabaseError)
    @api.exception_handler(OSError)
    def storage_refused(request: HttpRequest, exc: Exception) -> HttpResponse:
        if not degraded.is_storage_failure(exc):
            raise exc
        response = respond(request, 503, error_body(degraded.storage_failure_message(exc)))
        response["Retry-After"] = "300"
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc.__cause__, UnstorableBody):  # ninja wraps parser errors in a 400
            return respond(
                request, 422, error_body("The request is not valid.", exc.__cause__.errors)
            )
        if isinstance(exc, AuthenticationError):
            detail = "Authentication required: send `Authorization: Bearer TOKEN`."
            response = respond(request, exc.status_code, error_body(detail))
            response["WWW-Authenticate"] = 'Bearer realm="api"'
            return response
        return respond(request, exc.status_code, error_body(str(exc)))
