"""Username and pseud-name rules."""

import pytest
from django.core.exceptions import ValidationError

from polis.accounts.validators import validate_pseud_name, validate_username


@pytest.mark.parametrize(
    "name", ["abc", "A_writer_42", "9lives", "x" * 40, "Lexa_", "ORPHAN", "adminx"]
)
def test_username_accepts_ao3_style_names(name):
    validate_username(name)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("ab", "Your username must be at least 3 characters long."),
        ("x" * 41, "Your username must be at most 40 characters long."),
        (
            "_lexa",
            "Your username must begin with a letter or number and may contain only letters, "
            "numbers and underscores.",
        ),
        (
            "has space",
            "Your username must begin with a letter or number and may contain only letters, "
            "numbers and underscores.",
        ),
        (
            "dash-name",
            "Your username must begin with a letter or number and may contain only letters, "
            "numbers and underscores.",
        ),
        (
            "émile",
            "Your username must begin with a letter or number and may contain only letters, "
            "numbers and underscores.",
        ),
        ("admin", "That username is reserved; please choose another."),
        ("Admin", "That username is reserved; please choose another."),
        ("ORPHAN_ACCOUNT", "That username is reserved; please choose another."),
        ("settings", "That username is reserved; please choose another."),
        ("Polis", "That username is reserved; please choose another."),
    ],
)
def test_username_refuses_invalid_and_reserved_names(name, message):
    with pytest.raises(ValidationError) as excinfo:
        validate_username(name)
    assert excinfo.value.messages == [message]


@pytest.mark.parametrize("name", ["a", "Night Owl", "x-y_z", "Émile Zola", "7", "n" * 40])
def test_pseud_name_accepts_letters_digits_spaces_underscores_hyphens(name):
    validate_pseud_name(name)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "A pseud name must be 1 to 40 characters long."),
        ("n" * 41, "A pseud name must be 1 to 40 characters long."),
        (
            "a/b",
            "A pseud name may contain only letters, numbers, spaces, underscores and hyphens.",
        ),
        (
            "Owl!",
            "A pseud name may contain only letters, numbers, spaces, underscores and hyphens.",
        ),
        ("- _ -", "A pseud name must contain at least one letter or number."),
        ("new", "That pseud name is reserved; please choose another."),
    ],
)
def test_pseud_name_refuses_bad_names(name, message):
    with pytest.raises(ValidationError) as excinfo:
        validate_pseud_name(name)
    assert excinfo.value.messages == [message]
