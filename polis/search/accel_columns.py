"""The accelerator's columns, read from `search_workdoc`, and what its parts share.

`polis.search.accel` (the arrays), `polis.search.accel_sync` (following the change log) and
`polis.search.snapshot` (saving and mapping them) use these.
"""

import datetime

import numpy as np
from django.db import connection

COLUMNS = [
    "restricted",
    "complete",
    "crossover",
    "revised",
    "published",
    "words",
    "chapters",
    "hits",
    "kudos",
    "comments",
    "bookmarks",
    "language",
]
# Each column in the narrowest type its values fit (the database's integer columns are 32-bit;
# revised_at is in microseconds since 1970, as exact as the database keeps it): 43 bytes a
# work instead of 96, which is what lets AO3's 17M works fit a process (docs/benchmarks.md,
# "bench scale"). Comparisons with any Python int stay exact in numpy 2.
COLUMN_TYPES = {
    "restricted": np.int8,
    "complete": np.int8,
    "crossover": np.int8,
    "revised": np.int64,
    "published": np.int32,
    "words": np.int32,
    "chapters": np.int32,
    "hits": np.int32,
    "kudos": np.int32,
    "comments": np.int32,
    "bookmarks": np.int32,
    "language": np.int16,
}


# Changes can commit out of id order on PostgreSQL; re-read this many ids behind the mark.
REREAD_WINDOW = 5000
_CHUNK = 200_000
# Never written after the build: a snapshot's processes map these read-only and share them.
SHARED_ARRAYS = ("work_ptr", "work_tags", "tag_works", "tag_ptr")


def epoch_micros(moment: datetime.datetime) -> int:
    """Microseconds since 1970 of an aware datetime, exactly (no float on the way)."""
    delta = moment - datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def doc_sql(where: str = "") -> str:
    epoch_days = (
        "CAST(julianday(published_at) - 2440587.5 AS INTEGER)"
        if connection.vendor == "sqlite"
        else "(published_at - DATE '1970-01-01')"
    )
    epoch = (
        # Django keeps an SQLite datetime as text, 'YYYY-MM-DD HH:MM:SS[.ffffff]' in UTC.
        "(CAST(strftime('%%s', revised_at) AS INTEGER) * 1000000"
        " + CAST(substr(revised_at, 21, 6) AS INTEGER))"
        if connection.vendor == "sqlite"
        else "CAST(EXTRACT(EPOCH FROM revised_at) * 1000000 AS BIGINT)"
    )
    return (
        f"SELECT work_id, restricted, complete, crossover, {epoch}, {epoch_days}, word_count,"
        " chapter_count, hit_count, kudos_count, comment_count, bookmark_count, language"
        f" FROM search_workdoc {where} ORDER BY work_id"
    )


class RebuildNeeded(Exception):
    """The log cannot be applied to this snapshot (e.g. the database was restored)."""
