"""Site-wide pages: the CSRF failure page and the bad-request pages in the site's layout."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static

TOO_BIG = "The request is too large: send at most {limit:,} bytes."


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", {"reason": reason}, status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400, except a body over DATA_UPLOAD_MAX_MEMORY_SIZE: 413, in JSON for the API."""
    if not isinstance(exception, RequestDataTooBig):
        return render(request, "400.html", status=400)
    detail = TOO_BIG.format(limit=settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    if request.path_info.startswith("/api/"):
        # The API's error shape (polis/api/errors.py), which core cannot import.
        return JsonResponse({"detail": detail, "errors": []}, status=413)
    return render(request, "413.html", {"detail": detail}, status=413)


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says: send them to the site icon."""
    return HttpResponsePermanentRedirect(static("polis/favicon.svg"))
