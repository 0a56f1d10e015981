"""URLs of the API, with JSON answers for unknown paths and wrong methods too."""

from collections.abc import Callable
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, path, re_path

from polis.api.errors import error_body
from polis.api.v1 import api


def not_found(request: HttpRequest, *args: object, **kwargs: object) -> JsonResponse:
    return JsonResponse(error_body("Not found."), status=404)


def _json_refusals(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Ninja answers a wrong method with plain text and its root with an HTML 404."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return not_found(request)
        if response.status_code == 405 and not response.get("Content-Type", "").endswith("json"):
            refused = JsonResponse(error_body("Method not allowed."), status=405)
            refused["Allow"] = response["Allow"]
            return refused
        return response

    return wrapped


# Not unpacked into `app_name`: include() would read that name as this module's namespace.
ninja_patterns, ninja_app, ninja_namespace = api.urls
for pattern in ninja_patterns:
    if isinstance(pattern, URLPattern) and pattern.name != "openapi-view":
        pattern.callback = _json_refusals(pattern.callback)

urlpatterns = [
    path("", (ninja_patterns, ninja_app, ninja_namespace)),
    re_path(r"^.*$", not_found),
]
