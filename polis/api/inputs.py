"""JSON bodies → the web's posting forms, so the API and the pages validate identically."""

# Errors come back named as the caller named the fields (`title`, `chapters[1].text`).

from typing import Any

from django.core.exceptions import ValidationError
from django.forms import Form

from polis.accounts.models import Pseud, User
from polis.api.errors import ApiValidationError, FieldError
from polis.tags.names import normalize_tag_name, validate_tag_name
from polis.works.actions import ChapterInput, WorkInput
from polis.works.forms import USER_TAG_FIELDS, ChapterForm, WorkForm
from polis.works.models import TAG_FIELDS, Work, creator_pseuds, tags_of_type
from polis.works.selectors import work_for_display

# JSON chapter field → ChapterForm field.
CHAPTER_FIELDS = {
    "title": "chapter_title",
    "summary": "chapter_summary",
    "notes": "chapter_notes",
    "end_notes": "chapter_end_notes",
    "text": "text",
    "format": "text_format",
}
_CHAPTER_NAMES = {form: json for json, form in CHAPTER_FIELDS.items()}
WORK_FIELDS = (
    "title", "summary", "notes", "end_notes", "rating", "warnings", "categories", "fandoms",
    "relationships", "characters", "freeforms", "language", "restricted", "complete",
    "expected_chapters", "published_at",
)  # fmt: skip


def form_errors(
    form: Form, *, rename: dict[str, str] | None = None, prefix: str = ""
) -> list[FieldError]:
    """A bound form's errors as (field, message); non-field errors name `prefix` or nothing."""
    rename = rename or {}
    pairs: list[FieldError] = []
    for field, errors in form.errors.as_data().items():
        if field == "__all__":
            name = prefix.rstrip(".") or None
        else:
            name = prefix + rename.get(field, field)
        for error in errors:
            pairs.extend((name, message) for message in error.messages)
    return pairs


def _tag_list_errors(values: dict[str, Any]) -> list[FieldError]:
    """Each name in a JSON tag list must be a valid name on its own (commas included)."""
    errors = []
    for field in USER_TAG_FIELDS:
        for name in values.get(field) or []:
            try:
                validate_tag_name(normalize_tag_name(name))
            except ValidationError as error:
                errors.extend((field, message) for message in error.messages)
    return errors


def _pseud_ids(actor: User, names: list[str] | None) -> tuple[list[int], list[FieldError]]:
    own = {pseud.name.casefold(): pseud.pk for pseud in Pseud.objects.filter(user=actor)}
    if names is None:
        default = Pseud.objects.filter(user=actor, is_default=True).values_list("pk", flat=True)
        return list(default), []
    missing = [name for name in names if name.casefold() not in own]
    if missing:
        return [], [("pseuds", f"You have no pseud named {', '.join(missing)}.")]
    return [own[name.casefold()] for name in names], []


def _work_form(actor: User, values: dict[str, Any], pseud_ids: list[int]) -> WorkForm:
    data = {field: values.get(field) for field in WORK_FIELDS}
    for field in USER_TAG_FIELDS:
        data[field] = ", ".join(values.get(field) or [])
    data["pseuds"] = pseud_ids
    form = WorkForm(data, user=actor, include_text=False)
    form.is_valid()
    return form


def chapter_input(values: dict[str, Any], *, prefix: str = "") -> ChapterInput:
    """A chapter from JSON, checked by ChapterForm; ApiValidationError if refused."""
    form = ChapterForm(
        {CHAPTER_FIELDS[key]: value for key, value in values.items() if key in CHAPTER_FIELDS}
    )
    if not form.is_valid():
        raise ApiValidationError(form_errors(form, rename=_CHAPTER_NAMES, prefix=prefix))
    return form.chapter_input()


def work_create_input(
    actor: User, values: dict[str, Any]
) -> tuple[WorkInput, list[Pseud], list[ChapterInput]]:
    """Everything a new work needs, all checked before anything is written."""
    pseud_ids, errors = _pseud_ids(actor, values.get("pseuds"))
    errors += _tag_list_errors(values)
    form = _work_form(actor, values, pseud_ids)
    # An unknown pseud name is already reported; the form would add "choose a pseud".
    errors += [e for e in form_errors(form) if not (errors and e[0] == "pseuds")]
    chapters = []
    for index, chapter in enumerate(values["chapters"]):
        try:
            chapters.append(chapter_input(chapter, prefix=f"chapters[{index}]."))
        except ApiValidationError as error:
            errors += error.errors
    if errors:
        raise ApiValidationError(errors)
    return form.work_input(), list(form.cleaned_data["pseuds"]), chapters


_SCALAR_FIELDS = (
    "title", "summary", "notes", "end_notes", "rating", "language", "restricted", "complete",
    "expected_chapters", "published_at",
)  # fmt: skip


def _current_values(work: Work) -> dict[str, Any]:
    """The work as the edit form would be filled; expects with_display_data prefetches."""
    values: dict[str, Any] = {field: getattr(work, field) for field in _SCALAR_FIELDS}
    for tag_type, field in TAG_FIELDS.items():
        if field != "rating":
            values[field] = [tag.name for tag in tags_of_type(work, tag_type)]
    return values


def work_update_input(actor: User, work: Work, changes: dict[str, Any]) -> WorkInput:
    """The work's current fields with `changes` applied, checked by WorkForm."""
    work = work_for_display(work)
    values = {**_current_values(work), **changes}
    pseud_ids = [pseud.pk for pseud in creator_pseuds(work) if pseud.user_id == actor.pk]
    errors = _tag_list_errors(changes)
    form = _work_form(actor, values, pseud_ids)
    errors += form_errors(form)
    if errors:
        raise ApiValidationError(errors)
    return form.work_input()
