"""Reading preferences: one set of values for accounts (a row) and guests (a signed cookie).

Every value is one of a fixed list, applied to pages as classes on <html> (see
polis/static/polis/reading.css): no value a reader sends ever reaches a stylesheet.
"""

import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from polis.accounts.models import ReadingPreferences

COOKIE_NAME = "polis_reading"
COOKIE_SALT = "polis.accounts.reading"
COOKIE_MAX_AGE = 365 * 24 * 3600

_FIELDS = [f for f in ReadingPreferences._meta.concrete_fields if f.name != "user"]
FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in _FIELDS)
CHOICES: dict[str, tuple[str, ...]] = {
    f.name: tuple(value for value, _ in f.choices) for f in _FIELDS if f.choices
}
BOOLEANS: tuple[str, ...] = tuple(f.name for f in _FIELDS if not f.choices)
DEFAULTS: dict[str, Any] = {f.name: f.default for f in _FIELDS}
SITE_SKINS: tuple[str, ...] = CHOICES["skin"]


@dataclass(frozen=True)
class Reading:
    """The preferences that apply to one request."""

    values: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def html_classes(self) -> str:
        v = self.values
        return " ".join(
            [
                f"theme-{v['theme']}",
                f"skin-{v['skin']}",
                f"font-{v['font_family']}",
                f"size-{v['font_size']}",
                f"width-{v['text_width']}",
                f"spacing-{v['line_spacing']}",
            ]
            + (["no-work-skins"] if v["hide_work_skins"] else [])
        )

    @property
    def skin_stylesheet(self) -> str | None:
        """The built-in site skin's file under static/, or None for the default skin."""
        skin = self.values["skin"]
        return None if skin == "default" else f"polis/skins/{skin}.css"


def check(values: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The known values among `values`, and (field, message) for each one that is wrong.
    Unknown names are errors too, so a misspelt preference never passes quietly."""
    good: dict[str, Any] = {}
    errors: list[tuple[str, str]] = []
    for name, value in values.items():
        if name in CHOICES:
            if isinstance(value, str) and value in CHOICES[name]:
                good[name] = value
            else:
                allowed = ", ".join(f"“{c}”" for c in CHOICES[name])
                errors.append((name, f"Choose one of {allowed}."))
        elif name in BOOLEANS:
            if isinstance(value, bool):
                good[name] = value
            else:
                errors.append((name, "Must be true or false."))
        else:
            errors.append((name, "Unknown preference."))
    return good, errors


def _from_cookie(request: HttpRequest) -> dict[str, Any]:
    raw = request.get_signed_cookie(
        COOKIE_NAME, default=None, salt=COOKIE_SALT, max_age=COOKIE_MAX_AGE
    )
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    good, _errors = check({k: v for k, v in data.items() if k in FIELD_NAMES})
    return good


def stored_values(user) -> dict[str, Any]:
    """An account's saved preferences (the defaults where it saved none)."""
    row = ReadingPreferences.objects.filter(user=user).first()
    if row is None:
        return dict(DEFAULTS)
    return {name: getattr(row, name) for name in FIELD_NAMES}


def reading_for(request: HttpRequest) -> Reading:
    """The account's preferences, or the guest's cookie, or the defaults; once per request."""
    cached = getattr(request, "_polis_reading", None)
    if cached is not None:
        return cached
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        values = stored_values(user)
    else:
        values = {**DEFAULTS, **_from_cookie(request)}
    reading = Reading(values)
    request._polis_reading = reading  # type: ignore[attr-defined]
    return reading


def remember_for_guest(response: HttpResponse, values: dict[str, Any]) -> None:
    """Keep a guest's preferences in a signed cookie (only what differs from the defaults)."""
    changed = {k: v for k, v in values.items() if k in FIELD_NAMES and DEFAULTS[k] != v}
    response.set_signed_cookie(
        COOKIE_NAME,
        json.dumps(changed, separators=(",", ":")),
        salt=COOKIE_SALT,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
