"""CSRF for AO3-shaped forms: readers' tools send the token as Rails' `authenticity_token`.

FanFicFare, ao3downloader and ao3-api log in by posting `authenticity_token` (taken from
`/token_dispenser.json` or the login form) with the CSRF cookie they were given. Django's check
reads `csrfmiddlewaretoken` or the `X-CSRFToken` header; this decorator hands the Rails field to
that same check instead of switching it off.
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt, csrf_protect

AUTHENTICITY_TOKEN = "authenticity_token"


def accepts_authenticity_token(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Check CSRF on `view` as usual, also accepting the token as `authenticity_token`.

    The token must still match the CSRF cookie, and a request that names its Origin must come
    from this site. Django also demands a Referer on HTTPS when no Origin is sent; browsers send
    Origin with every form POST, so a request with neither header is a program (the readers'
    tools send neither) and is checked as coming from this site: a cross-site page cannot make a
    browser drop the Origin header, and it cannot read the token it would need.
    """
    protected = csrf_protect(view)

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "POST" and "csrfmiddlewaretoken" not in request.POST:
            token = request.POST.get(AUTHENTICITY_TOKEN, "")
            if token and settings.CSRF_HEADER_NAME not in request.META:
                request.META[settings.CSRF_HEADER_NAME] = token
                headers = request.META
                if request.is_secure() and not {"HTTP_ORIGIN", "HTTP_REFERER"} & headers.keys():
                    request.META["HTTP_ORIGIN"] = f"https://{request.get_host()}"
        return protected(request, *args, **kwargs)

    # The middleware leaves this view alone; `protected` runs the same check after the copy.
    return csrf_exempt(wrapped)
