"""Forms for sign-up extras, pseuds and account settings. They parse input; actions decide.

allauth builds its sign-up form on top of SignupExtraForm while importing its own forms module,
so this module must not import `allauth.account.forms`.
"""

from allauth.core import context as allauth_context
from django import forms
from django.http import HttpRequest

from polis.accounts.actions import PSEUD_DESCRIPTION_MAX_LENGTH
from polis.accounts.models import User
from polis.accounts.selectors import invitation_usable
from polis.accounts.validators import PSEUD_NAME_MAX_LENGTH, USERNAME_MAX_LENGTH
from polis.core.site_settings import site_settings

USERNAME_HELP = (
    "3 to 40 characters: letters, numbers and underscores, starting with a letter or number."
)
INVITATION_ERROR = "This invitation code is not valid or has already been used."


class SignupExtraForm(forms.Form):
    """What Polis adds to allauth's sign-up form: the invitation code, when sign-up needs one."""

    invitation = forms.CharField(
        label="Invitation code",
        max_length=64,
        help_text="Sign-up on this archive is by invitation. Paste the code you were sent.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    field_order = ["invitation", "username", "email", "password1", "password2"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "username" in self.fields:  # allauth's field, declared on its subclass
            self.fields["username"].help_text = USERNAME_HELP
        if site_settings().signup != "invitations":
            del self.fields["invitation"]
            return
        # The link in an invitation e-mail carries the code: /accounts/signup/?invitation=CODE
        # allauth does not pass the request to this form; its middleware keeps it in context.
        request: HttpRequest | None = allauth_context.request
        code = request.GET.get("invitation", "") if request is not None else ""
        if code and not self.is_bound:
            self.initial.setdefault("invitation", code.strip())

    def clean_invitation(self) -> str:
        token = self.cleaned_data["invitation"].strip()
        if not invitation_usable(token):
            raise forms.ValidationError(INVITATION_ERROR, code="invalid_invitation")
        return token

    def signup(self, request: HttpRequest, user: User) -> None:
        """Required by allauth; the adapter already set the user up and redeemed the code."""


class PseudForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=PSEUD_NAME_MAX_LENGTH,
        help_text="1 to 40 letters, numbers, spaces, underscores or hyphens.",
    )
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=PSEUD_DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=f"Up to {PSEUD_DESCRIPTION_MAX_LENGTH} characters. Plain text or HTML.",
    )

    def __init__(self, *args, name_locked: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if name_locked:
            # The default pseud is the username; it is renamed from Settings.
            self.fields["name"].disabled = True
            self.fields["name"].help_text = (
                "This is your default pseud. It always matches your username; "
                "change your username in Settings to rename it."
            )


class PasswordConfirmed:
    """A form that asks for the user's current password (its `password` field) and checks it."""

    wrong_password = "That is not your current password."

    def __init__(self, *args, user: User, **kwargs) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(self.wrong_password, code="password")
        return password


class UsernameChangeForm(PasswordConfirmed, forms.Form):
    username = forms.CharField(
        label="New username",
        max_length=USERNAME_MAX_LENGTH,
        help_text=f"{USERNAME_HELP} Your default pseud is renamed with it.",
        widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class PreferencesForm(forms.Form):
    view_adult = forms.BooleanField(
        label="Show me adult content without checking",
        required=False,
        help_text="Skip the caution page before Mature, Explicit and Not Rated works.",
    )
    similar_works_enabled = forms.BooleanField(
        label="Show me similar works",
        required=False,
        help_text="A “Similar works” list under each work, from shared tags and readers who "
        "left kudos on both. Nothing is recorded about you for it.",
    )
