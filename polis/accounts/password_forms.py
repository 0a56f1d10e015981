"""The change-password form: allauth's, plus the offer to revoke the account's API tokens.

Kept apart from polis/accounts/forms.py, which allauth imports while it loads its own forms.
Changing the password ends every other session at once: Django keeps a hash of the password
in each session and refuses a session whose hash no longer matches (the current session is
kept, `ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False`).
"""

from allauth.account.forms import ChangePasswordForm
from django import forms

from polis.accounts.hooks import password_changed


class PasswordChangeForm(ChangePasswordForm):
    revoke_tokens = forms.BooleanField(
        label="Also revoke all my API tokens",
        required=False,
        help_text="Scripts, apps and e-reader catalogs using them will have to be set up again.",
    )

    def save(self) -> None:
        super().save()
        password_changed(self.user, revoke_tokens=self.cleaned_data.get("revoke_tokens", False))
