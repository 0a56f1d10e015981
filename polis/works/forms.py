"""The posting forms, with AO3's labels so a migrating writer finds every field.

The API validates its JSON with these same forms, so the rules cannot drift apart.
"""

import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from polis.accounts.models import Pseud, User
from polis.core.text import TextFormat
from polis.tags.fixed import CATEGORIES, WARNINGS, Rating
from polis.tags.names import split_tag_field, validate_tag_name
from polis.works.actions import ChapterInput, WorkInput
from polis.works.hooks import posting_fields, split_names
from polis.works.languages import LANGUAGES
from polis.works.models import TEXT_FORMAT_CHOICES

SUMMARY_MAX = 1250
NOTES_MAX = 5000
TEXT_MAX = 510_000
TITLE_MAX = 255
USER_TAG_FIELDS = ("fandoms", "relationships", "characters", "freeforms")
_PSEUD_WITH_USER = re.compile(r"^(?P<pseud>.+?)\s*\((?P<user>[^()]+)\)$")


class TagField(forms.CharField):
    """A comma-separated list of tag names; typing works without JavaScript."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "off", "class": "tags"}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        names = split_tag_field(value)
        errors = []
        for name in names:
            try:
                validate_tag_name(name)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return names


def _text_area(rows: int, max_length: int, css: str = "") -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "data-max-length": max_length, "class": css})


class ChapterTextFields(forms.Form):
    """The text of a chapter and the format it is written in."""

    text_format = forms.ChoiceField(
        label="Text format",
        choices=TEXT_FORMAT_CHOICES,
        initial=TextFormat.HTML.value,
        help_text="Plain text: a blank line starts a new paragraph. HTML: AO3's allowed tags.",
    )
    text = forms.CharField(
        label="Work Text",
        max_length=TEXT_MAX,
        strip=False,
        widget=_text_area(20, TEXT_MAX, "work-text"),
    )

    def clean_text(self):
        text = self.cleaned_data["text"]
        if not text.strip():
            raise ValidationError("Brevity is the soul of wit, but we need some text.")
        return text

    def chapter_input(self) -> ChapterInput:
        data = self.cleaned_data
        return ChapterInput(
            text=data["text"],
            text_format=data["text_format"],
            title=data.get("chapter_title", ""),
            summary=data.get("chapter_summary", ""),
            notes=data.get("chapter_notes", ""),
            end_notes=data.get("chapter_end_notes", ""),
        )


class WorkForm(ChapterTextFields):
    """Post New Work / Edit Work. `include_text=False` leaves the text to chapter forms."""

    rating = forms.ChoiceField(label="Rating", choices=[("", "Select a rating"), *Rating.choices])
    warnings = forms.MultipleChoiceField(
        label="Archive Warnings",
        choices=[(w, w) for w in WARNINGS],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one archive warning."},
    )
    fandoms = TagField(
        label="Fandoms",
        required=True,
        help_text="Separate tags with commas.",
        error_messages={"required": "Add at least one fandom."},
    )
    categories = forms.MultipleChoiceField(
        label="Category",
        choices=[(c, c) for c in CATEGORIES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    relationships = TagField(label="Relationships")
    characters = TagField(label="Characters")
    freeforms = TagField(label="Additional Tags")
    title = forms.CharField(label="Work Title", max_length=TITLE_MAX)
    pseuds = forms.ModelMultipleChoiceField(
        label="Creator/Pseud(s)",
        queryset=Pseud.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one of your pseuds."},
    )
    co_creators = forms.CharField(
        label="Add co-creators",
        required=False,
        help_text="Usernames or “pseud (username)”, separated by commas. They must accept.",
    )
    summary = forms.CharField(
        label="Summary", required=False, max_length=SUMMARY_MAX, widget=_text_area(5, SUMMARY_MAX)
    )
    notes = forms.CharField(
        label="Notes", required=False, max_length=NOTES_MAX, widget=_text_area(5, NOTES_MAX)
    )
    end_notes = forms.CharField(
        label="Notes at the end",
        required=False,
        max_length=NOTES_MAX,
        widget=_text_area(5, NOTES_MAX),
    )
    language = forms.ChoiceField(label="Language", choices=LANGUAGES, initial="en")
    restricted = forms.BooleanField(label="Only show your work to registered users", required=False)
    complete = forms.BooleanField(label="This work is complete", required=False)
    expected_chapters = forms.IntegerField(
        label="Chapters expected",
        required=False,
        min_value=1,
        max_value=10_000,
        help_text="1 for a one-shot (shown as 1/1); empty if you do not know yet (“?”).",
    )
    published_at = forms.DateField(
        label="Publication date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Set a date in the past to backdate the work; leave empty for today.",
    )

    def __init__(self, *args, user: User, include_text: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["pseuds"].queryset = Pseud.objects.filter(user=user)
        if not self.is_bound and "pseuds" not in self.initial:
            self.initial["pseuds"] = list(
                Pseud.objects.filter(user=user, is_default=True).values_list("pk", flat=True)
            )
        if not include_text:
            del self.fields["text"]
            del self.fields["text_format"]
        # "Post to Collections", "Gift this work to": registered by other apps.
        self.extra_names = []
        for extra in posting_fields():
            self.fields[extra.name] = forms.CharField(
                label=extra.label,
                help_text=extra.help_text,
                required=False,
                max_length=2000,
                widget=forms.HiddenInput if extra.hidden else None,
            )
            self.extra_names.append(extra.name)

    @property
    def extra_fields(self) -> list:
        """The shown ones; hidden ones are in `hidden_fields()`."""
        return [self[name] for name in self.extra_names if not self[name].is_hidden]

    def extras(self) -> dict[str, list[str]]:
        """The registered posting fields, as lists of names (see polis.works.hooks)."""
        return {name: split_names(self.cleaned_data.get(name)) for name in self.extra_names}

    def clean_published_at(self):
        value = self.cleaned_data.get("published_at")
        if value and value > timezone.localdate():
            raise ValidationError("The publication date cannot be in the future.")
        return value

    def clean_co_creators(self) -> list[Pseud]:
        pseuds = []
        missing = []
        for raw in (self.cleaned_data.get("co_creators") or "").split(","):
            name = raw.strip()
            if not name:
                continue
            pseud = find_pseud(name)
            if pseud is None:
                missing.append(name)
            elif pseud.user_id != self.user.pk:
                pseuds.append(pseud)
        if missing:
            raise ValidationError(f"We couldn't find these users or pseuds: {', '.join(missing)}")
        return pseuds

    def clean(self):
        cleaned = super().clean()
        total = sum(len(cleaned.get(name) or []) for name in USER_TAG_FIELDS)
        if total > settings.POLIS_MAX_USER_TAGS:
            raise ValidationError(
                f"You have {total} fandom, relationship, character and additional tags; "
                f"a work can have at most {settings.POLIS_MAX_USER_TAGS}."
            )
        expected = cleaned.get("expected_chapters")
        if cleaned.get("complete") and expected and expected > 1 and "text" in self.fields:
            # A brand-new work has one chapter; "complete" with more expected is contradictory.
            self.add_error(
                "expected_chapters",
                "A complete work posted now has one chapter; leave this empty or uncheck "
                "“complete”.",
            )
        return cleaned

    def work_input(self) -> WorkInput:
        data = self.cleaned_data
        return WorkInput(
            title=data["title"],
            rating=data["rating"],
            warnings=data["warnings"],
            categories=data.get("categories") or [],
            fandoms=data["fandoms"],
            relationships=data.get("relationships") or [],
            characters=data.get("characters") or [],
            freeforms=data.get("freeforms") or [],
            summary=data.get("summary", ""),
            notes=data.get("notes", ""),
            end_notes=data.get("end_notes", ""),
            language=data["language"],
            restricted=data.get("restricted", False),
            complete=data.get("complete", False),
            expected_chapters=data.get("expected_chapters"),
            published_at=data.get("published_at"),
        )


class ChapterForm(ChapterTextFields):
    """Add or edit one chapter."""

    chapter_title = forms.CharField(label="Chapter Title", required=False, max_length=TITLE_MAX)
    chapter_summary = forms.CharField(
        label="Chapter Summary",
        required=False,
        max_length=SUMMARY_MAX,
        widget=_text_area(4, SUMMARY_MAX),
    )
    chapter_notes = forms.CharField(
        label="Chapter Notes (at the beginning)",
        required=False,
        max_length=NOTES_MAX,
        widget=_text_area(4, NOTES_MAX),
    )
    chapter_end_notes = forms.CharField(
        label="Chapter Notes (at the end)",
        required=False,
        max_length=NOTES_MAX,
        widget=_text_area(4, NOTES_MAX),
    )
    field_order = [
        "chapter_title",
        "chapter_summary",
        "chapter_notes",
        "text_format",
        "text",
        "chapter_end_notes",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = "Chapter Text"


def find_pseud(name: str) -> Pseud | None:
    """`username` means the default pseud; `pseud (username)` names one exactly."""
    match = _PSEUD_WITH_USER.match(name)
    if match:
        return (
            Pseud.objects.filter(
                name__iexact=match["pseud"].strip(), user__username__iexact=match["user"].strip()
            )
            .select_related("user")
            .first()
        )
    return (
        Pseud.objects.filter(user__username__iexact=name, is_default=True)
        .select_related("user")
        .first()
    )
