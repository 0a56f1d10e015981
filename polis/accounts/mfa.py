"""Two-factor sign-in for staff: a role holder without an authenticator app is sent to set
one up (allauth.mfa's TOTP page) before any staff page opens.

Only staff pages pay for the check (the roles and authenticator queries): readers' pages
are left as they are. Staff pages are the admin, moderation (the queue and the audit log),
sanctions and site settings (with the invitation queue's release), and tag wrangling, named
by their URL namespaces and names below. The Report link's page lives in moderation's
namespace but is every reader's, so it is not a staff page.
"""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from polis.accounts.roles import roles_of

STAFF_NAMESPACES = frozenset({"admin", "moderation", "sanctions"})
STAFF_URL_NAMES = frozenset({"tags:edit", "tags:unwrangled"})
READER_URL_NAMES = frozenset({"moderation:report"})  # in a staff namespace, but for everyone


def is_staff_page(request: HttpRequest) -> bool:
    match = request.resolver_match
    if match is None or match.view_name in READER_URL_NAMES:
        return False
    return bool(STAFF_NAMESPACES & set(match.namespaces)) or match.view_name in STAFF_URL_NAMES


def has_totp(user) -> bool:
    """Whether the user signs in with an authenticator app (TOTP)."""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def needs_mfa_setup(user) -> bool:
    """A staff role holder without two-factor sign-in."""
    return bool(roles_of(user)) and not has_totp(user)


class StaffMfaMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        if not settings.POLIS_STAFF_MFA_REQUIRED:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not is_staff_page(request):
            return None
        if not needs_mfa_setup(user):
            return None
        messages.warning(
            request, "Staff pages need two-factor sign-in. Set up an authenticator app first."
        )
        return redirect("mfa_activate_totp")
