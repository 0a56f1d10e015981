"""The work's "Suggest tags" page: its creators tick suggestions read from its text, and the
ticked tags are added (polis.works.suggestions reads, polis.works.suggested_tags writes)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from polis.accounts.standing import AccountRestricted
from polis.works.access import access_work_for_edit
from polis.works.selectors import work_for_display
from polis.works.suggested_tags import work_tags_add
from polis.works.suggestion_forms import CHOSEN, work_suggestions
from polis.works.suggestions import Suggestion

KINDS = {
    "characters": "Character",
    "relationships": "Relationship",
    "freeforms": "Additional tag",
    "language": "Language",
}


class SuggestedTagsForm(forms.Form):
    suggestion = forms.MultipleChoiceField(
        label="Suggested tags",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Tick at least one tag to add.",
            "invalid_choice": "“%(value)s” is no longer suggested for this work.",
        },
        help_text="Nothing is added unless you tick it.",
    )

    def __init__(self, *args, suggestions: list[Suggestion], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[CHOSEN].choices = [
            (f"{s.field}|{s.value}", f"{KINDS[s.field]}: {s.label} ({s.reason})")
            for s in suggestions
        ]

    def chosen(self) -> list[tuple[str, str]]:
        return [tuple(value.split("|", 1)) for value in self.cleaned_data[CHOSEN]]


@login_required
def work_suggest_tags(request: HttpRequest, work_id: int) -> HttpResponse:
    work = work_for_display(access_work_for_edit(request.user, work_id))
    suggestions = work_suggestions(work)
    data = request.POST if request.method == "POST" else None  # nothing ticked is an answer
    form = SuggestedTagsForm(data, suggestions=suggestions)
    status = 200
    if data is not None and form.is_valid():
        try:
            added = work_tags_add(actor=request.user, work=work, chosen=form.chosen())
        except AccountRestricted as error:
            form.add_error(None, str(error))  # the ticks stay as they were
            status = 403
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Added: {', '.join(added)}." if added else "Nothing new.")
            return redirect(work) if work.posted else redirect("works:preview", work_id=work.pk)
    context = {"work": work, "form": form, "suggestions": suggestions}
    return render(request, "works/suggest_tags.html", context, status=status)
