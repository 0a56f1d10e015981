"""/preferences: reading preferences for everyone, kept on the account or in a guest's cookie."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from polis.accounts import actions, reading
from polis.accounts.models import ReadingPreferences


class ReadingPreferencesForm(forms.ModelForm):
    class Meta:
        model = ReadingPreferences
        fields = list(reading.FIELD_NAMES)
        widgets = {"theme": forms.RadioSelect}
        help_texts = {
            "skin": "Built-in site skins: Dark is always dark; High contrast and Low vision "
            "have stronger colours and larger text; Parchment is a warm page for reading.",
            "text_width": "How long the lines of a work's text may grow.",
            "hide_work_skins": "Show every work in your site skin, without its creator's CSS.",
            "view_full_work": "Open a work with all its chapters on one page.",
        }


def preferences(request: HttpRequest) -> HttpResponse:
    current = reading.reading_for(request).values
    if request.method == "POST":
        form = ReadingPreferencesForm(request.POST, instance=ReadingPreferences(**current))
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in reading.FIELD_NAMES}
            response = redirect("accounts:preferences")
            if request.user.is_authenticated:
                actions.reading_preferences_save(actor=request.user, values=values)
            else:
                reading.remember_for_guest(response, values)
            messages.success(request, "Your reading preferences were saved.")
            return response
    else:
        form = ReadingPreferencesForm(instance=ReadingPreferences(**current))
    return render(request, "accounts/preferences.html", {"form": form})
