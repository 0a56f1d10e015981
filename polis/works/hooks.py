"""Posting fields other apps add to the posting form and the API, without works importing them.

Works sit below collections (collections import works), so the posting form cannot import
collections to offer "Post to Collections" or "Gift this work to". Instead an app registers
a `PostingField` from its `AppConfig.ready`; the form shows it, the API accepts it under the
same name, and `work_create` / `work_update` apply it inside their own transaction, so a
refusal (a closed collection, an unknown name) leaves nothing saved. A field may also be
hidden, prefill the new-work form from its query string, and hear when the work is posted
(a gift-exchange assignment is fulfilled then). See docs/adr/0003-hooks-between-apps.md.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.http import QueryDict

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
    # Carried by the form without being shown (an id the page was opened with).
    hidden: bool = False
    # Initial values of the new-work form from its query string (`/works/new?…`), any
    # field's; may raise Http404 for an object named there that the user may not use.
    prefill: Callable[..., Mapping[str, str]] | None = None  # prefill(*, user, params)
    # Called inside the transaction when the work becomes posted (at once or from a
    # draft); raises ValidationError to refuse the post.
    on_post: Callable[..., object] | None = None  # on_post(*, actor: User, work: Work)


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


def posting_prefill(*, user: User, params: QueryDict) -> dict[str, str]:
    """The new-work form's initial values from `params` (`/works/new?assignment_id=…`)."""
    initial: dict[str, str] = {}
    for field in _FIELDS.values():
        if field.prefill is not None:
            initial.update(field.prefill(user=user, params=params))
    return initial


def posting_fields_posted(*, actor: User, work: Work) -> None:
    """Tell the fields that `work` was just posted; their refusals are raised together."""
    errors: dict[str, list[str]] = {}
    for name, field in _FIELDS.items():
        if field.on_post is None:
            continue
        try:
            field.on_post(actor=actor, work=work)
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)


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
