"""Posting fields other apps add to the posting form and the API, without works importing them.

Works sit below collections (collections import works), so the posting form cannot import
collections to offer "Post to Collections" or "Gift this work to". Instead an app registers
a `PostingField` from its `AppConfig.ready`; the form shows it, the API accepts it under the
same name, and `work_create` / `work_update` apply it inside their own transaction, so a
refusal (a closed collection, an unknown name) leaves nothing saved. See
docs/adr/0003-hooks-between-apps.md.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from polis.accounts.models import User
from polis.works.models import Work


@dataclass(frozen=True)
class PostingField:
    """A list of names typed on the posting form (comma-separated) or sent to the API."""

    name: str  # form field and API field
    label: str
    help_text: str
    # The names the edit form starts from.
    current: Callable[[Work], list[str]]
    # Make the work match the names (the whole list: names left out are taken away);
    # raises ValidationError, preferably keyed by `name`.
    apply: Callable[..., object]  # apply(*, actor: User, work: Work, names: list[str])


_FIELDS: dict[str, PostingField] = {}


def register_posting_field(field: PostingField) -> None:
    """Called from an AppConfig.ready; registering a name again replaces it (reloads)."""
    _FIELDS[field.name] = field


def posting_fields() -> list[PostingField]:
    return list(_FIELDS.values())


def split_names(value: str | None) -> list[str]:
    """ "a, b,, c " → ["a", "b", "c"], each name once, in the order typed."""
    names: list[str] = []
    for raw in (value or "").split(","):
        name = " ".join(raw.split())
        if name and name not in names:
            names.append(name)
    return names


def posting_fields_apply(*, actor: User, work: Work, values: Mapping[str, list[str]]) -> None:
    """Apply the extra fields given (a field left out is left alone); errors are collected
    per field and raised together."""
    unknown = sorted(set(values) - set(_FIELDS))
    if unknown:
        raise ValidationError({name: "This field is not available." for name in unknown})
    errors: dict[str, list[str]] = {}
    for name, field in _FIELDS.items():
        if name not in values:
            continue
        try:
            field.apply(actor=actor, work=work, names=list(values[name]))
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)
