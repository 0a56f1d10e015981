"""How much one request may write: bounded, and refused by name when over."""

from django.conf import settings
from django.core.exceptions import ValidationError


def check_chapters_per_post(count: int) -> None:
    """Refuse a post of more chapters than POLIS_MAX_CHAPTERS_PER_POST, on `chapters`."""
    limit = settings.POLIS_MAX_CHAPTERS_PER_POST
    if count > limit:
        raise ValidationError(
            {
                "chapters": f"You sent {count} chapters; one post can have at most {limit}. "
                "Post the first ones, then add the rest."
            }
        )
