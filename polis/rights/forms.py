"""Forms of the rights pages: they parse input; the actions decide."""

from django import forms

from polis.accounts.forms import PasswordConfirmed

DELETE_CHOICES = [
    ("orphan_keep", "Orphan my works, keeping my pseuds' names on them"),
    ("orphan_drop", "Orphan my works and remove my pseuds' names"),
    ("delete", "Delete my works (works shared with co-creators stay theirs)"),
]


class AccountDeleteForm(PasswordConfirmed, forms.Form):
    works = forms.ChoiceField(
        label="What should happen to your works and series?",
        choices=DELETE_CHOICES,
        widget=forms.RadioSelect,
    )
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    wrong_password = "That is not your password."

    def choice(self) -> tuple[str, bool]:
        """(works, keep_pseud_name) for `account_delete`."""
        value = self.cleaned_data["works"]
        return ("delete", False) if value == "delete" else ("orphan", value == "orphan_keep")
