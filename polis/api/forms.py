"""The form on the API tokens page."""

from django import forms


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label="Token name",
        max_length=100,
        help_text="What the token is for, e.g. “e-reader sync”. Only you see it.",
    )
