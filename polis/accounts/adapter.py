"""How allauth signs people up on Polis: the sign-up policy, the default pseud, invitations."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import redirect

from polis.accounts.actions import invitation_redeem, user_setup
from polis.accounts.models import User
from polis.core.site_settings import site_settings


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Closed archives show allauth's "Sign Up Closed" page; invitation-only ones show the
        form, which then requires a code (SignupExtraForm). Staff set the policy in the site
        settings (polis/core/site_settings.py)."""
        return site_settings().signup in {"open", "invitations"}

    def save_user(self, request: HttpRequest, user: User, form, commit: bool = True) -> User:
        """Create the account, its default pseud and, when sign-up needs one, use up the
        invitation: all or nothing."""
        if not commit:
            return super().save_user(request, user, form, commit=False)
        try:
            with transaction.atomic():
                user = super().save_user(request, user, form, commit=True) or user
                user_setup(user=user)
                if site_settings().signup == "invitations":
                    # The form checked the code; redeeming it under a row lock means two
                    # sign-ups racing for one code cannot both succeed.
                    invitation_redeem(token=form.cleaned_data.get("invitation", ""), user=user)
        except ValidationError as error:
            # The loser of such a race: nothing was saved; send them back to the form.
            messages.error(request, " ".join(error.messages))
            raise ImmediateHttpResponse(redirect("account_signup")) from error
        return user
