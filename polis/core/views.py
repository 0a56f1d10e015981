"""Site-wide pages: the CSRF failure page, the bad-request pages, hiding the site banner."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from polis.core.context_processors import BANNER_COOKIE

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


BANNER_COOKIE_DAYS = 365


@require_POST
def banner_dismiss(request: HttpRequest) -> HttpResponse:
    """Hide this version of the site banner for this browser (a cookie; no JavaScript)."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = redirect(target)
    version = request.POST.get("version", "")
    if version.isdigit():
        response.set_cookie(
            BANNER_COOKIE,
            version,
            max_age=BANNER_COOKIE_DAYS * 86400,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response
