"""The archive's run-time switches (sign-up, guest comments, downloads, wrangling, banner).

One row in the database (`SiteSettings`, pk 1), created on first read with the sign-up policy
from `POLIS_SIGNUP`; the environment is only that first default. Every request reads it through
`site_settings()`, which keeps a copy per process and checks the row's version in the shared
cache (no query); `site_settings_update` writes it, records each change in the audit log and
publishes the new version when the transaction commits. With a cache of its own (local memory),
a process sees another one's change within two minutes (`CACHE_SECONDS` + `LOCAL_SECONDS`).
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from polis.core.audit import record
from polis.core.models import SignupPolicy, SiteSettings
from polis.core.sanitizer import sanitize_html

CACHE_KEY = "polis:site-settings:version"
# The version's lifetime in the cache. With a cache per process (local memory, the embedded
# default) a process sees another one's change only once its own entry expires: within
# CACHE_SECONDS + LOCAL_SECONDS. With a shared cache (Redis) it sees it at its next request.
CACHE_SECONDS = 60
# How long a process trusts its copy when the cache holds no version (it was cleared, or the
# entry expired) before asking the database again.
LOCAL_SECONDS = 60
BANNER_MAX_LENGTH = 2000
FIELDS = (
    "signup",
    "guest_comments",
    "downloads",
    "tag_wrangling",
    "banner_html",
    "invitations_per_day",
)

# This process' copy: {"row": SiteSettings, "version": str, "at": monotonic seconds}. The
# shared cache holds only the version (the row's `updated_at`), so a process notices another
# one's change at its next request without asking the database.
_local: dict = {}


def _load() -> SiteSettings:
    row = SiteSettings.objects.filter(pk=1).first()
    if row is not None:
        return row
    try:  # migration 0003 creates the row; this covers a database emptied by hand
        with transaction.atomic():
            return SiteSettings.objects.create(pk=1, signup=settings.POLIS_SIGNUP)
    except IntegrityError:  # another request created it first
        return SiteSettings.objects.get(pk=1)


def _version(row: SiteSettings) -> str:
    return row.updated_at.isoformat() if row.updated_at else "initial"


def _remember(row: SiteSettings) -> None:
    version = _version(row)
    _local.update(row=row, version=version, at=time.monotonic())
    cache.set(CACHE_KEY, version, CACHE_SECONDS)


def site_settings() -> SiteSettings:
    """The current settings (a shared copy: do not change it; use `site_settings_update`)."""
    row = _local.get("row")
    if row is not None:
        shared = cache.get(CACHE_KEY)
        if shared == _local["version"]:
            return row
        if shared is None and time.monotonic() - _local["at"] < LOCAL_SECONDS:
            return row
    row = _load()
    _remember(row)
    return row


def site_settings_forget() -> None:
    """Drop this process' copy and the shared version: the next read asks the database."""
    _local.clear()
    cache.delete(CACHE_KEY)


def site_settings_prime(row: SiteSettings | None = None) -> None:
    """Hold `row` (the defaults when None) as this process' copy, as a warm server holds
    its settings. Tests start from it: the database row the migrations made is the same."""
    _remember(row or SiteSettings(pk=1, signup=settings.POLIS_SIGNUP))


def banner_clean(html: str) -> str:
    html = html.strip()
    if len(html) > BANNER_MAX_LENGTH:
        raise ValidationError(
            {"banner_html": f"The banner can be at most {BANNER_MAX_LENGTH} characters long."}
        )
    return sanitize_html(html) if html else ""


@transaction.atomic
def site_settings_update(*, actor, role: str = "", reason: str = "", **changes) -> SiteSettings:
    """Change some settings (keyword names from `FIELDS`); one audit entry per changed field.

    Who may call it is the caller's decision (moderation checks the staff roles): core knows
    nothing of roles.
    """
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValidationError({name: "Unknown setting." for name in sorted(unknown)})
    _load()
    row = SiteSettings.objects.select_for_update().get(pk=1)
    if "banner_html" in changes:
        changes["banner_html"] = banner_clean(changes["banner_html"] or "")
    if "signup" in changes and changes["signup"] not in SignupPolicy.values:
        raise ValidationError({"signup": "Choose open, invitations or closed."})
    changed = {}
    for name, value in changes.items():
        old = getattr(row, name)
        if old != value:
            changed[name] = (old, value)
            setattr(row, name, value)
    if not changed:
        return row
    if "banner_html" in changed:
        row.banner_version += 1
    row.full_clean()
    row.save()
    for name, (old, new) in changed.items():
        record(
            actor=actor,
            verb="site_settings.change",
            target_type="site_settings",
            target_id=name,
            target_label=name,
            reason=reason,
            role=role,
            details={"field": name, "old": old, "new": new},
        )
    # Seen at once by this process; others see the new version in the cache after the commit
    # (and a rollback is corrected by the callback never running: the version stays unknown).
    site_settings_forget()
    transaction.on_commit(lambda: _remember(SiteSettings.objects.get(pk=1)))
    return row
