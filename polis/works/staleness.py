"""Edits from a stale form are refused: the form (or the API call) says which version it saw.

A work's or chapter's version is its `updated_at`, which every save through the actions moves.
The web's edit forms carry it in a hidden field; the API hands out an `ETag` with each work
and chapter and accepts `If-Match` (or `If-Unmodified-Since`) on PATCH. The check runs inside
the edit's transaction with the row locked (`select_for_update`; SQLite's IMMEDIATE
transactions hold the write lock), so two saves from two forms opened on one version cannot
both pass: the second sees the first's new version and is refused with `StaleEdit`.
"""

import datetime
from collections.abc import Callable

from django.db import transaction
from django.utils.http import parse_http_date_safe

from polis.accounts.models import User
from polis.works import actions
from polis.works.models import Chapter, Work


class StaleEdit(Exception):
    """The object changed since the form was opened; `current` is what is saved now."""

    def __init__(self, current: Work | Chapter) -> None:
        self.current = current
        super().__init__(f"{type(current).__name__} {current.pk} changed since it was read.")


Precondition = Callable[[Work | Chapter], bool]


def version_of(obj: Work | Chapter) -> str:
    """The version a form carries: the exact time of the last save."""
    return obj.updated_at.isoformat()


def etag_of(obj: Work | Chapter) -> str:
    stamp = int(obj.updated_at.timestamp() * 1_000_000)
    return f'"{type(obj).__name__.lower()}-{obj.pk}-{stamp}"'


def form_version(version: str) -> Precondition | None:
    """The web form's check: the version it was opened on is still the saved one."""
    if not version:
        return None  # a form from before this check (or a hand-made POST): not checked
    return lambda current: version_of(current) == version


def http_preconditions(
    if_match: str | None, if_unmodified_since: str | None
) -> Precondition | None:
    """The API's check from `If-Match` (ETags or `*`) or else `If-Unmodified-Since`."""
    if if_match:
        tags = {tag.strip().removeprefix("W/") for tag in if_match.split(",")}
        return lambda current: "*" in tags or etag_of(current) in tags
    if if_unmodified_since:
        seconds = parse_http_date_safe(if_unmodified_since)
        if seconds is None:
            return None  # RFC 9110: an invalid date is ignored
        since = datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)
        return lambda current: current.updated_at.replace(microsecond=0) <= since
    return None


def work_update_checked(*, actor: User, work: Work, check: Precondition | None, **kwargs) -> Work:
    """`actions.work_update` on the locked, current row, refused when `check` fails."""
    with transaction.atomic():
        current = Work.objects.select_for_update().get(pk=work.pk)
        if check is not None and not check(current):
            raise StaleEdit(current)
        return actions.work_update(actor=actor, work=current, **kwargs)


def chapter_update_checked(
    *, actor: User, chapter: Chapter, check: Precondition | None, **kwargs
) -> Chapter:
    """`actions.chapter_update` on the locked, current row, refused when `check` fails."""
    with transaction.atomic():
        current = Chapter.objects.select_for_update().select_related("work").get(pk=chapter.pk)
        if check is not None and not check(current):
            raise StaleEdit(current)
        return actions.chapter_update(actor=actor, chapter=current, **kwargs)
