"""The hidden fields that make the writing forms safe to double-click and to leave open.

`form_token`: a one-time token made when a posting form is shown (polis/works/idempotency.py).
`form_version`: the version of the work or chapter an edit form was opened on
(polis/works/staleness.py). When a save is refused as stale, `stale_comparison` lists, field
by field, what is saved now beside what the writer typed.
"""

from django import forms
from django.http import QueryDict

from polis.works.idempotency import KEY_MAX, new_form_token
from polis.works.models import Chapter, Work
from polis.works.staleness import version_of

TOKEN = "form_token"
VERSION = "form_version"
STALE_MESSAGE = (
    "Someone saved a change to this {kind} after you opened this form, so nothing was saved. "
    "What is saved now and what you typed are shown below; your text is still in the form. "
    "Save again to replace the saved version with yours."
)


def add_token(form: forms.Form) -> None:
    form.fields[TOKEN] = forms.CharField(
        required=False, max_length=KEY_MAX, widget=forms.HiddenInput
    )
    if not form.is_bound:
        form.initial[TOKEN] = new_form_token()


def add_version(form: forms.Form, obj: Work | Chapter) -> None:
    form.fields[VERSION] = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    if not form.is_bound:
        form.initial[VERSION] = version_of(obj)


def submitted(form: forms.Form, name: str) -> str:
    return form.cleaned_data.get(name) or ""


def on_current_version(data: QueryDict, current: Work | Chapter) -> QueryDict:
    """The writer's input, now carrying the saved version: saving again is a choice."""
    data = data.copy()
    data[VERSION] = version_of(current)
    return data


def _shown(field: forms.BoundField, value) -> str:
    values = value if isinstance(value, list | tuple) else [value]
    choices = getattr(field.field, "choices", None)
    labels = {str(key): label for key, label in choices} if choices else {}
    shown = []
    for item in values:
        if item is None or item == "":
            continue
        if isinstance(item, bool):
            shown.append("yes" if item else "no")
        else:
            shown.append(str(labels.get(str(item), item)).replace("\r\n", "\n"))
    return ", ".join(shown)


def stale_comparison(typed: forms.Form, saved: forms.Form) -> list[dict]:
    """`[{label, saved, typed}]` for each visible field where the two differ."""
    rows = []
    for field in typed.visible_fields():
        now = _shown(saved[field.name], saved[field.name].value())
        yours = _shown(field, field.value())
        if now.strip() != yours.strip():
            rows.append({"label": field.label, "saved": now, "typed": yours})
    return rows
