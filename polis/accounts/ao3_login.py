"""Logging in the way AO3 does, so readers' tools (FanFicFare, ao3downloader) can read
restricted works: `/token_dispenser.json`, and `/users/login` with AO3's field names.

These pages are allauth's own login and logout, under AO3's URLs and field names: the same
rate limits, username-or-email login, e-mail verification and two-factor step apply.
"""

from allauth.account.forms import LoginForm
from allauth.account.views import LoginView, LogoutView
from django.forms import BoundField
from django.http import HttpRequest, JsonResponse
from django.middleware.csrf import get_token
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET

from polis.core.csrf import accepts_authenticity_token

# allauth's field → the name inside AO3's `user[...]`.
AO3_FIELD_NAMES = {"login": "login", "password": "password", "remember": "remember_me"}


class AO3BoundField(BoundField):
    @property
    def auto_id(self) -> str:
        # AO3's ids (user_login, user_password): no brackets to escape in CSS or labels.
        return f"user_{AO3_FIELD_NAMES.get(self.name, self.name)}"


class AO3LoginForm(LoginForm):
    """allauth's login form, posted as `user[login]`, `user[password]`, `user[remember_me]`."""

    bound_field_class = AO3BoundField

    def add_prefix(self, field_name: str) -> str:
        return f"user[{AO3_FIELD_NAMES.get(field_name, field_name)}]"


class AO3LoginView(LoginView):
    form_class = AO3LoginForm
    template_name = "accounts/ao3_login.html"

    def get_form_class(self):
        # allauth would swap in ACCOUNT_FORMS["login"]; this page always speaks AO3's names.
        return self.form_class

    # allauth hides its own field names from error reports (in dispatch); these are AO3's.
    @method_decorator(sensitive_post_parameters("user[password]"))
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


@never_cache
@require_GET
def token_dispenser(request: HttpRequest) -> JsonResponse:
    """A CSRF token for the next form post, as AO3 hands one to its tools. It sets the CSRF
    cookie too; the token is useless without it, and other sites cannot read this answer."""
    return JsonResponse({"token": get_token(request)})


users_login = accepts_authenticity_token(AO3LoginView.as_view())
# GET asks "Are you sure?" (AO3's header links here); POST logs out.
users_logout = accepts_authenticity_token(LogoutView.as_view())
