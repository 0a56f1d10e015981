"""Forms of the sanction and site-settings pages. They parse input; the actions decide."""

from django import forms

from polis.core.models import SignupPolicy
from polis.core.site_settings import BANNER_MAX_LENGTH
from polis.moderation.sanctions import MAX_SUSPENSION_DAYS, REASON_MAX_LENGTH


def _reason() -> forms.CharField:
    return forms.CharField(
        label="Reason (the user is told this)",
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class WarnForm(forms.Form):
    reason = _reason()


class SuspendForm(forms.Form):
    days = forms.IntegerField(label="Days", min_value=1, max_value=MAX_SUSPENSION_DAYS, initial=7)
    reason = _reason()


class UnsuspendForm(forms.Form):
    reason = _reason()


class UnbanForm(forms.Form):
    reason = _reason()


class BanForm(forms.Form):
    reason = _reason()
    delete_content = forms.BooleanField(
        label="Also delete all their works and comments (spam accounts)", required=False
    )


class SiteSettingsForm(forms.Form):
    signup = forms.ChoiceField(label="Sign-up", choices=SignupPolicy.choices)
    guest_comments = forms.BooleanField(label="Guests may comment", required=False)
    downloads = forms.BooleanField(label="Downloads are on", required=False)
    tag_wrangling = forms.BooleanField(label="Tag wrangling is on", required=False)
    invitations_per_day = forms.IntegerField(
        label="Invitations released a day", min_value=0, max_value=1000
    )
    banner_html = forms.CharField(
        label="Site banner (HTML; empty for none)",
        required=False,
        max_length=BANNER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown at the top of every page until a reader hides it.",
    )
    reason = forms.CharField(label="Why (for the audit log)", required=False, max_length=500)


class ReleaseForm(forms.Form):
    count = forms.IntegerField(label="How many", min_value=1, max_value=1000)
