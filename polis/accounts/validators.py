"""Rules for usernames and pseud names, shared by sign-up, settings, actions and the admin."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinLengthValidator, RegexValidator
from django.utils.deconstruct import deconstructible

USERNAME_MIN_LENGTH = 3
USERNAME_MAX_LENGTH = 40
PSEUD_NAME_MAX_LENGTH = 40

# Names that would be confusing in a byline or collide with a path or a system account.
RESERVED_USERNAMES = frozenset(
    {
        "about",
        "accounts",
        "admin",
        "administrator",
        "anonymous",
        "api",
        "archive",
        "bookmarks",
        "collections",
        "comments",
        "downloads",
        "feeds",
        "help",
        "login",
        "logout",
        "media",
        "moderator",
        "new",
        "orphan_account",
        "polis",
        "root",
        "search",
        "series",
        "settings",
        "signup",
        "static",
        "staff",
        "support",
        "system",
        "tags",
        "users",
        "webmaster",
        "works",
    }
)

# `new` would be shadowed by the /users/NAME/pseuds/new page.
RESERVED_PSEUD_NAMES = frozenset({"new"})


@deconstructible
class ReservedNameValidator:
    """Refuse a name from a fixed set, whatever its case."""

    def __init__(self, names: frozenset[str], message: str) -> None:
        self.names = names
        self.message = message

    def __call__(self, value: str) -> None:
        if value.casefold() in self.names:
            raise ValidationError(self.message, code="reserved", params={"value": value})

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, ReservedNameValidator)
            and self.names == other.names
            and self.message == other.message
        )


username_validators = [
    MinLengthValidator(
        USERNAME_MIN_LENGTH,
        message="Your username must be at least %(limit_value)d characters long.",
    ),
    MaxLengthValidator(
        USERNAME_MAX_LENGTH,
        message="Your username must be at most %(limit_value)d characters long.",
    ),
    RegexValidator(
        r"\A[A-Za-z0-9][A-Za-z0-9_]*\Z",
        message=(
            "Your username must begin with a letter or number and may contain only "
            "letters, numbers and underscores."
        ),
        code="invalid_username",
    ),
    ReservedNameValidator(RESERVED_USERNAMES, "That username is reserved; please choose another."),
]


@deconstructible
class PseudNameValidator:
    """1–40 letters, digits, spaces, underscores and hyphens, with at least one letter or digit."""

    allowed = re.compile(r"\A[\w -]+\Z")
    letter_or_digit = re.compile(r"[^\W_]")

    def __call__(self, value: str) -> None:
        if not value or len(value) > PSEUD_NAME_MAX_LENGTH:
            raise ValidationError(
                "A pseud name must be 1 to %(max)d characters long.",
                code="pseud_length",
                params={"max": PSEUD_NAME_MAX_LENGTH},
            )
        if not self.allowed.match(value):
            raise ValidationError(
                "A pseud name may contain only letters, numbers, spaces, underscores and hyphens.",
                code="pseud_characters",
            )
        if not self.letter_or_digit.search(value):
            raise ValidationError(
                "A pseud name must contain at least one letter or number.",
                code="pseud_no_letter",
            )
        if value.casefold() in RESERVED_PSEUD_NAMES:
            raise ValidationError(
                "That pseud name is reserved; please choose another.", code="reserved"
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PseudNameValidator)


validate_pseud_name = PseudNameValidator()


def validate_username(value: str) -> None:
    """Run every username rule, collecting all their messages."""
    errors: list[ValidationError] = []
    for validator in username_validators:
        try:
            validator(value)
        except ValidationError as error:
            errors.append(error)
    if errors:
        raise ValidationError(errors)
