"""Shared by the feedback API modules: refusals as answers, and the comment rate limit."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError

from polis.api.errors import ApiValidationError, django_errors, error_body
from polis.engagement.refusals import Refused


class CommentRateLimited(Exception):
    """Too many comments: answered 429 with `Retry-After`."""

    def __init__(self, wait: int) -> None:
        self.wait = wait
        super().__init__(wait)


def install(api: NinjaAPI) -> None:
    """Register the 429 answer for comment rate limits (the API's own limits do the same)."""

    @api.exception_handler(CommentRateLimited)
    def rate_limited(request: HttpRequest, exc: CommentRateLimited) -> HttpResponse:
        detail = f"You are posting comments too fast; try again in {exc.wait} seconds."
        response = api.create_response(request, error_body(detail), status=429)
        response["Retry-After"] = str(exc.wait)
        return response


def refusals(call, *args, rename: dict | None = None, **kwargs):
    """Run an action; its refusals become 403 (with their message) or 400 (field errors)."""
    try:
        return call(*args, **kwargs)
    except Refused as error:
        raise HttpError(403, str(error)) from None
    except ValidationError as error:
        raise ApiValidationError(django_errors(error, rename=rename)) from None
