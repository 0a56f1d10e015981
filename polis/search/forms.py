"""Forms of a reader's search tools: naming a saved search, and blocking a tag."""

from django import forms

from polis.search.models import SavedSearch
from polis.tags.names import MAX_TAG_LENGTH


class SavedSearchForm(forms.Form):
    name = forms.CharField(label="Name", max_length=SavedSearch._meta.get_field("name").max_length)
    # Checked and shortened (page numbers, empty fields) by the action; this only bounds input.
    query = forms.CharField(widget=forms.HiddenInput, max_length=8000)


class BlockTagForm(forms.Form):
    tag = forms.CharField(
        label="Tag to block",
        max_length=MAX_TAG_LENGTH,
        help_text="Works with this tag, its synonyms or the tags under it are never listed "
        "for you.",
        widget=forms.TextInput(attrs={"class": "tags", "autocomplete": "off"}),
    )
