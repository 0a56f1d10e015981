"""Forms of readers' feedback. They parse what was typed; the actions decide."""

from django import forms

from polis.accounts.models import Pseud, User
from polis.engagement.bookmarks import NOTES_MAX_LENGTH
from polis.engagement.comments import COMMENT_MAX_LENGTH, GUEST_NAME_MAX_LENGTH
from polis.engagement.models import CommentPermission
from polis.tags.fixed import Rating
from polis.tags.names import split_tag_field


class PseudChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Pseud) -> str:
        return obj.name


def _pseud_field(user: User, label: str) -> PseudChoiceField | None:
    pseuds = user.pseuds.order_by("-is_default", "name")
    if pseuds.count() < 2:
        return None
    return PseudChoiceField(label=label, queryset=pseuds, empty_label=None, initial=pseuds.first())


class CommentForm(forms.Form):
    """A comment or reply. Length is checked by the action, so an over-long text is kept."""

    text = forms.CharField(
        label="Comment",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5, "data-max-length": COMMENT_MAX_LENGTH}),
        help_text=f"Up to {COMMENT_MAX_LENGTH:,} characters. Plain text or HTML.",
    )
    name = forms.CharField(label="Guest name", max_length=GUEST_NAME_MAX_LENGTH, required=False)
    email = forms.CharField(
        label="Guest e-mail",
        required=False,
        max_length=254,
        help_text="Never shown to anyone.",
        widget=forms.EmailInput(),
    )
    chapter_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    parent_id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user: User, id_prefix: str = "", **kwargs) -> None:
        if id_prefix:
            kwargs.setdefault("auto_id", f"{id_prefix}_%s")
        super().__init__(*args, **kwargs)
        if user.is_authenticated:
            del self.fields["name"]
            del self.fields["email"]
            pseud = _pseud_field(user, "Comment as")
            if pseud is not None:
                self.fields["pseud"] = pseud
        else:
            self.fields["name"].required = True
            self.fields["email"].required = True


class CommentEditForm(forms.Form):
    text = forms.CharField(label="Comment", strip=False, widget=forms.Textarea(attrs={"rows": 8}))


class CommentSettingsForm(forms.Form):
    permission = forms.ChoiceField(
        label="Who can comment on this work",
        choices=CommentPermission.choices,
        widget=forms.RadioSelect,
    )
    moderated = forms.BooleanField(
        label="Moderate comments (hold new comments until I approve them)", required=False
    )


class BookmarkForm(forms.Form):
    notes = forms.CharField(
        label="Notes",
        required=False,
        strip=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"Up to {NOTES_MAX_LENGTH:,} characters. Plain text or HTML.",
    )
    tags = forms.CharField(
        label="Your tags",
        required=False,
        help_text="Comma-separated; these are yours, not the work's.",
    )
    private = forms.BooleanField(label="Private bookmark", required=False)
    rec = forms.BooleanField(label="Rec", required=False, help_text="Recommend this work.")

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        pseud = _pseud_field(user, "Bookmark as")
        if pseud is not None:
            self.fields["pseud"] = pseud

    def clean_tags(self) -> list[str]:
        return split_tag_field(self.cleaned_data["tags"])


class ExternalBookmarkForm(BookmarkForm):
    url = forms.CharField(label="URL", max_length=1000, widget=forms.URLInput())
    title = forms.CharField(label="Title", max_length=255)
    creator = forms.CharField(label="Creator", max_length=255)
    fandom = forms.CharField(label="Fandom", max_length=255)
    rating = forms.ChoiceField(label="Rating", required=False, choices=[("", "—"), *Rating.choices])
    field_order = ["url", "title", "creator", "fandom", "rating", "notes", "tags", "private", "rec"]


class UsernameForm(forms.Form):
    username = forms.CharField(label="Username", max_length=150)
