"""Wrangling forms, and applying a whole edit (many wrangling actions) as one transaction.

The edit page and the API's `PATCH /tags/{name}` describe an edit as `TagChanges` and apply
it with `tag_changes_apply`: every step is one wrangling action, all of them run in one
transaction, and the first refusal rolls everything back and names the field it came from.
"""

from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction

from polis.accounts.models import User
from polis.tags import wrangling
from polis.tags.models import Tag, TagType
from polis.tags.names import normalize_tag_name, split_tag_field, tag_key
from polis.tags.selectors import BIN_TYPES, tag_links, tag_named, tags_named

UNCHANGED = object()


@dataclass
class TagChanges:
    """What an edit asks for; `None` / UNCHANGED / empty lists leave that part alone."""

    name: str | None = None
    tag_type: str | None = None
    canonical: bool | None = None
    # A name; "" or None removes the synonym; UNCHANGED leaves it.
    synonym_of: object = UNCHANGED
    add_parents: list[str] = field(default_factory=list)
    remove_parents: list[str] = field(default_factory=list)
    add_meta_tags: list[str] = field(default_factory=list)
    remove_meta_tags: list[str] = field(default_factory=list)
    add_sub_tags: list[str] = field(default_factory=list)
    remove_sub_tags: list[str] = field(default_factory=list)


class TagChangeRefused(Exception):
    """One step of an edit was refused; nothing of the edit was kept."""

    def __init__(self, field: str, error: ValidationError | str) -> None:
        self.field = field
        self.error = error if isinstance(error, ValidationError) else ValidationError(error)
        super().__init__(field, self.error.messages)

    @property
    def messages(self) -> list[str]:
        return self.error.messages


def _resolve(names: list[str], field_name: str) -> list[Tag]:
    found = tags_named(names)
    missing = [name for name in names if tag_key(name) not in found]
    if missing:
        listed = ", ".join(f"“{name}”" for name in missing)
        raise TagChangeRefused(field_name, f"There is no tag named {listed}.")
    return [found[tag_key(name)] for name in names]


def _linked(names: list[str], linked: list[Tag], field_name: str, relation: str) -> list[Tag]:
    by_key = {tag.key: tag for tag in linked}
    strangers = [name for name in names if tag_key(name) not in by_key]
    if strangers:
        listed = ", ".join(f"“{name}”" for name in strangers)
        raise TagChangeRefused(field_name, f"{listed} is not {relation} of this tag.")
    return [by_key[tag_key(name)] for name in names]


def _step(field_name: str, action, **kwargs) -> None:
    try:
        action(**kwargs)
    except ValidationError as error:
        raise TagChangeRefused(field_name, error) from None


def tag_changes_apply(*, actor: User, tag: Tag, changes: TagChanges) -> Tag:
    """Apply an edit with the wrangling actions, all or nothing.

    Removals run before canonical/synonym changes (those refuse while meta links exist),
    additions after them (meta tags and parents need canonical tags). Raises
    TagChangeRefused naming the field; the database is then as before.
    """
    with transaction.atomic():
        tag = Tag.objects.select_for_update().get(pk=tag.pk)
        links = tag_links(tag)
        synonym_of = changes.synonym_of
        wants_synonym = synonym_of is not UNCHANGED and bool(synonym_of)
        if wants_synonym and changes.canonical:
            raise TagChangeRefused(
                "synonym_of",
                "A tag cannot be both canonical and a synonym: untick “Canonical” "
                "or empty “Synonym of”.",
            )
        if changes.name is not None and normalize_tag_name(changes.name) != tag.name:
            _step("name", wrangling.tag_rename, actor=actor, tag=tag, name=changes.name)
        if changes.tag_type is not None and changes.tag_type != tag.type:
            _step(
                "tag_type", wrangling.tag_set_type, actor=actor, tag=tag, tag_type=changes.tag_type
            )

        parents = _linked(changes.remove_parents, links.parents, "remove_parents", "a parent")
        for parent in parents:
            _step(
                "remove_parents", wrangling.tag_remove_parent, actor=actor, child=tag, parent=parent
            )
        metas = _linked(changes.remove_meta_tags, links.meta_tags, "remove_meta_tags", "a meta tag")
        for meta in metas:
            _step("remove_meta_tags", wrangling.tag_remove_meta, actor=actor, sub=tag, meta=meta)
        subs = _linked(changes.remove_sub_tags, links.sub_tags, "remove_sub_tags", "a sub tag")
        for sub in subs:
            _step("remove_sub_tags", wrangling.tag_remove_meta, actor=actor, sub=sub, meta=tag)

        if synonym_of is not UNCHANGED and not synonym_of and tag.merger_id:
            _step("synonym_of", wrangling.tag_remove_synonym, actor=actor, tag=tag)
        if (
            changes.canonical is not None
            and changes.canonical != tag.canonical
            and not wants_synonym
        ):
            _step(
                "canonical",
                wrangling.tag_set_canonical,
                actor=actor,
                tag=tag,
                canonical=changes.canonical,
            )
        if wants_synonym:
            (target,) = _resolve([str(synonym_of)], "synonym_of")
            if target.pk != tag.merger_id:
                _step("synonym_of", wrangling.tag_make_synonym, actor=actor, tag=tag, of=target)

        for parent in _resolve(changes.add_parents, "add_parents"):
            _step("add_parents", wrangling.tag_add_parent, actor=actor, child=tag, parent=parent)
        for meta in _resolve(changes.add_meta_tags, "add_meta_tags"):
            _step("add_meta_tags", wrangling.tag_add_meta, actor=actor, sub=tag, meta=meta)
        for sub in _resolve(changes.add_sub_tags, "add_sub_tags"):
            _step("add_sub_tags", wrangling.tag_add_meta, actor=actor, sub=sub, meta=tag)
    return tag


# --- the edit page -------------------------------------------------------------------------


def _names_field(label: str, help_text: str, tag_type: str | None) -> forms.CharField:
    attrs = {"class": "tags", "autocomplete": "off"}
    if tag_type:
        attrs["data-tag-type"] = tag_type
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.TextInput(attrs=attrs),
    )


def _remove_field(label: str, tags: list[Tag]) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        required=False,
        choices=[(tag.name, tag.name) for tag in tags],
        widget=forms.CheckboxSelectMultiple,
    )


# The type of the parents a tag of this type takes (for autocomplete hints).
PARENT_HINT = {TagType.FANDOM: TagType.MEDIA}


class TagEditForm(forms.Form):
    """Every wrangling change to one tag; fields follow AO3's tag edit page."""

    name = forms.CharField(
        label="Name",
        max_length=150,
        help_text="Change capitalisation or spelling; links and works follow.",
    )
    tag_type = forms.ChoiceField(
        label="Category", choices=[(t.value, t.label) for t in BIN_TYPES], required=False
    )
    canonical = forms.BooleanField(
        label="Canonical", required=False, help_text="Canonical tags are used to filter works."
    )
    synonym_of = forms.CharField(
        label="Synonym of",
        required=False,
        max_length=150,
        help_text="The canonical tag this one means; leave empty for none.",
    )

    def __init__(self, *args, tag: Tag, **kwargs) -> None:
        self.tag = tag
        links = tag_links(tag)
        kwargs.setdefault(
            "initial",
            {
                "name": tag.name,
                "tag_type": tag.type,
                "canonical": tag.canonical,
                "synonym_of": tag.merger.name if tag.merger_id else "",
            },
        )
        super().__init__(*args, **kwargs)
        if tag.canonical or tag.merger_id or tag.type not in BIN_TYPES:
            del self.fields["tag_type"]  # only unwrangled tags change type
        self.fields["synonym_of"].widget.attrs.update(
            {"class": "tags", "autocomplete": "off", "data-tag-type": tag.type, "data-single": ""}
        )
        parent_type = PARENT_HINT.get(tag.type, TagType.FANDOM)
        self.fields["add_parents"] = _names_field(
            "Add parent tags", "Names, separated by commas.", parent_type
        )
        self.fields["remove_parents"] = _remove_field("Remove parent tags", links.parents)
        self.fields["add_meta_tags"] = _names_field(
            "Add meta tags", "Broader canonical tags of the same category.", tag.type
        )
        self.fields["remove_meta_tags"] = _remove_field("Remove meta tags", links.meta_tags)
        self.fields["add_sub_tags"] = _names_field(
            "Add sub tags", "Narrower canonical tags of the same category.", tag.type
        )
        self.fields["remove_sub_tags"] = _remove_field("Remove sub tags", links.sub_tags)

    def changes(self) -> TagChanges:
        data = self.cleaned_data
        return TagChanges(
            name=data["name"],
            tag_type=data.get("tag_type") or None,
            canonical=data["canonical"],
            synonym_of=normalize_tag_name(data["synonym_of"]),
            add_parents=split_tag_field(data["add_parents"]),
            remove_parents=list(data["remove_parents"]),
            add_meta_tags=split_tag_field(data["add_meta_tags"]),
            remove_meta_tags=list(data["remove_meta_tags"]),
            add_sub_tags=split_tag_field(data["add_sub_tags"]),
            remove_sub_tags=list(data["remove_sub_tags"]),
        )

    def refused(self, refusal: TagChangeRefused) -> None:
        field_name = refusal.field if refusal.field in self.fields else None
        self.add_error(field_name, refusal.error)


# --- unwrangled bins -----------------------------------------------------------------------


class BinFilterForm(forms.Form):
    """Which bin to show: a type, and (except for fandoms) a canonical fandom."""

    tag_type = forms.ChoiceField(
        label="Category",
        choices=[(t.value, t.label) for t in BIN_TYPES],
        required=False,
        initial=TagType.CHARACTER,
    )
    fandom = forms.CharField(
        label="Fandom",
        required=False,
        max_length=150,
        help_text="A canonical fandom; leave empty for every fandom.",
        widget=forms.TextInput(
            attrs={
                "class": "tags",
                "data-tag-type": "fandom",
                "data-single": "",
                "autocomplete": "off",
            }
        ),
    )

    def clean_tag_type(self) -> str:
        return self.cleaned_data["tag_type"] or TagType.CHARACTER

    def clean_fandom(self) -> Tag | None:
        name = self.cleaned_data["fandom"]
        if not name:
            return None
        tag = tag_named(name)
        if tag is not None and tag.merger_id:
            tag = tag.merger
        if tag is None or tag.type != TagType.FANDOM or not tag.canonical:
            raise ValidationError(f"“{name}” is not a canonical fandom.")
        return tag


BULK_ACTIONS = [
    ("canonical", "Make canonical"),
    ("synonym", "Make synonyms of"),
    ("parent", "Add parent"),
]


class BinBulkForm(forms.Form):
    """A bulk action on the ticked tags of a bin."""

    tags = forms.ModelMultipleChoiceField(
        label="Tags",
        queryset=Tag.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick at least one tag."},
    )
    action = forms.ChoiceField(label="Action", choices=BULK_ACTIONS, widget=forms.RadioSelect)
    synonym_of = forms.CharField(
        label="Synonym of",
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"class": "tags", "data-single": "", "autocomplete": "off"}),
    )
    parent = forms.CharField(
        label="Parent",
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"class": "tags", "data-single": "", "autocomplete": "off"}),
    )

    def clean(self) -> dict:
        data = super().clean()
        needs = {"synonym": "synonym_of", "parent": "parent"}.get(data.get("action", ""))
        if needs:
            name = data.get(needs, "")
            target = tag_named(name) if name else None
            if target is None:
                message = f"There is no tag named “{name}”." if name else "Name a tag."
                self.add_error(needs, message)
            data["target"] = target
        return data
