"""The Import New Work form (AO3's labels where AO3 has the field)."""

from django import forms

from polis.accounts.models import Pseud, User
from polis.accounts.roles import Role, has_role
from polis.engagement.models import CommentPermission
from polis.imports.actions import MAX_URLS, ImportOptions
from polis.tags.fixed import WARNINGS, Rating
from polis.works.languages import LANGUAGES


class ImportForm(forms.Form):
    urls = forms.CharField(
        label="URLs",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"One address a line, at most {MAX_URLS}: work pages of AO3 or any "
        "AO3-shaped archive, their HTML or EPUB downloads, or any web page.",
    )
    as_chapters = forms.TypedChoiceField(
        label="Several URLs are",
        choices=[("0", "each its own work"), ("1", "chapters of one work, in this order")],
        coerce=lambda value: value == "1",
        initial="0",
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label="Or a file",
        required=False,
        help_text="An AO3 or Polis download (HTML or EPUB), any EPUB, .docx, .odt, Markdown, "
        "plain text, or your Polis export ZIP.",
    )
    pseud = forms.ModelChoiceField(label="Creator/Pseud", queryset=Pseud.objects.none())
    restricted = forms.BooleanField(
        label="Only show imported works to registered users", required=False
    )
    comment_permission = forms.ChoiceField(
        label="Who can comment on these works",
        choices=CommentPermission.choices,
        initial=CommentPermission.EVERYONE,
        widget=forms.RadioSelect,
    )
    moderated = forms.BooleanField(
        label="Moderate comments (hold new comments until I approve them)", required=False
    )
    rating = forms.ChoiceField(
        label="Rating, where the source gives none",
        choices=Rating.choices,
        initial=Rating.NOT_RATED,
    )
    warnings = forms.MultipleChoiceField(
        label="Archive Warnings, where the source gives none",
        choices=[(w, w) for w in WARNINGS],
        initial=[WARNINGS[0]],
        widget=forms.CheckboxSelectMultiple,
    )
    fandom = forms.CharField(
        label="Fandom, where the source names none", initial="Unknown Fandom", max_length=150
    )
    language = forms.ChoiceField(
        label="Language, where the source does not say", choices=LANGUAGES, initial="en"
    )
    external_name = forms.CharField(
        label="Import for another creator: their name", required=False, max_length=255
    )
    external_email = forms.EmailField(
        label="Their e-mail address (they are invited to claim the works)", required=False
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pseud"].queryset = Pseud.objects.filter(user=user)
        self.fields["pseud"].initial = (
            Pseud.objects.filter(user=user, is_default=True).values_list("pk", flat=True).first()
        )
        if not has_role(user, Role.ARCHIVIST):
            del self.fields["external_name"]
            del self.fields["external_email"]

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("urls") or "").strip() and not cleaned.get("file"):
            raise forms.ValidationError("Give at least one URL or choose a file.")
        return cleaned

    def url_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["urls"].splitlines() if line.strip()]

    def options(self) -> ImportOptions:
        data = self.cleaned_data
        return ImportOptions(
            pseud_id=data["pseud"].pk,
            restricted=data["restricted"],
            comment_permission=data["comment_permission"],
            moderated=data["moderated"],
            rating=data["rating"],
            warnings=data["warnings"],
            fandom=data["fandom"],
            language=data["language"],
            external_name=data.get("external_name", ""),
            external_email=data.get("external_email", ""),
        )
