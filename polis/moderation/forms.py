"""The moderation forms: a report, a staff decision, a retag, the audit log's search."""

from django import forms

from polis.moderation.models import Reason
from polis.tags.fixed import WARNINGS, Rating

ACTIONS = ["hide", "unhide", "spam", "freeze", "unfreeze", "dismiss"]


class ReportForm(forms.Form):
    reason = forms.ChoiceField(choices=Reason.choices, widget=forms.RadioSelect)
    text = forms.CharField(
        label="What is wrong? (Please give details, and links if you have them.)",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=5000,
    )
    email = forms.EmailField(
        label="Your e-mail address (so we can answer you)", required=False, max_length=254
    )


class DecisionForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    reason = forms.CharField(
        label="Reason (the account is told)",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


def _names(value: str) -> list[str]:
    return [name.strip() for name in value.split(",") if name.strip()]


class RetagForm(forms.Form):
    rating = forms.ChoiceField(choices=Rating.choices)
    warnings = forms.MultipleChoiceField(
        choices=[(w, w) for w in WARNINGS], widget=forms.CheckboxSelectMultiple
    )
    fandoms = forms.CharField(label="Fandoms (comma-separated)", max_length=2000)
    relationships = forms.CharField(
        label="Relationships (comma-separated)", required=False, max_length=2000
    )
    characters = forms.CharField(
        label="Characters (comma-separated)", required=False, max_length=2000
    )
    freeforms = forms.CharField(
        label="Additional tags (comma-separated)", required=False, max_length=2000
    )
    reason = forms.CharField(
        label="Reason (the creator is told)",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )

    def tags(self) -> dict[str, list[str]]:
        data = self.cleaned_data
        return {
            name: _names(data[name])
            for name in ("fandoms", "relationships", "characters", "freeforms")
        }


class AuditSearchForm(forms.Form):
    actor = forms.CharField(label="Actor (username)", required=False, max_length=150)
    verb = forms.CharField(
        label="Action (e.g. work.hide, or work. for all work actions)",
        required=False,
        max_length=60,
    )
    target_type = forms.CharField(label="Target type", required=False, max_length=40)
    target_id = forms.CharField(label="Target id", required=False, max_length=64)
    since = forms.DateField(
        label="From (YYYY-MM-DD)", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label="To (YYYY-MM-DD)", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
