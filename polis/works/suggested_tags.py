"""Adding to a work the suggested tags its writer ticked (the work's "Suggest tags" page)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from polis.accounts.models import User
from polis.tags.names import tag_key
from polis.works.actions import WorkInput, work_update
from polis.works.models import Work
from polis.works.suggestion_forms import TAG_FIELDS


@transaction.atomic
def work_tags_add(*, actor: User, work: Work, chosen: list[tuple[str, str]]) -> list[str]:
    """Add each (field, name) to the work: a tag to its field (characters, relationships,
    freeforms) unless the work has it already, or ("language", code) as its language.
    Everything else about the work stays; returns what was added, as the writer reads it."""
    data = WorkInput.of(work)
    added = []
    for field, name in chosen:
        name = " ".join(name.split())
        if field == "language":
            if name != data.language:
                data.language = name
                added.append(f"language {name}")
        elif field in TAG_FIELDS:
            current = getattr(data, field)
            if tag_key(name) not in {tag_key(have) for have in current}:
                current.append(name)
                added.append(name)
        else:
            raise ValidationError(f"Tags cannot be added to “{field}”.")
    if added:
        work_update(actor=actor, work=work, data=data)
    return added
