"""Bulk loading for the benchmark corpus: raw inserts, COPY, index drop and rebuild, staging."""

import os
import re
import time
from concurrent.futures import ThreadPoolExecutor

from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm


class Writer:
    """Bulk inserts: executemany on SQLite, COPY on PostgreSQL."""

    def __init__(self) -> None:
        self.pg = connection.vendor == "postgresql"
        self.seconds: dict[str, float] = {}

    def insert(self, table: str, columns: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        start = time.perf_counter()
        self._insert(table, columns, rows)
        self.seconds[table] = self.seconds.get(table, 0.0) + time.perf_counter() - start

    def _insert(self, table: str, columns: list[str], rows: list[tuple]) -> None:
        with connection.cursor() as cursor:
            if self.pg:
                with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                placeholders = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", rows
                )


def model_rows(model, rows: list[dict]) -> tuple[str, list[str], list[tuple]]:
    """Table, columns and value tuples for raw inserts, with every other field's default."""
    # An auto-increment key the rows don't give is left to the database.
    fields = [
        f
        for f in model._meta.concrete_fields
        if not (f.primary_key and rows and f.attname not in rows[0])
    ]
    defaults = {}
    for f in fields:
        if f.has_default():
            defaults[f.attname] = f.get_default()
        elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults[f.attname] = timezone.now()
        elif f.null:
            defaults[f.attname] = None
        elif f.blank:
            defaults[f.attname] = ""
    columns = [f.column for f in fields]
    names = [f.attname for f in fields]
    values = [tuple(row.get(name, defaults.get(name)) for name in names) for row in rows]
    return model._meta.db_table, columns, values


LOADED_TABLES = [
    "works_work",
    "works_chapter",
    "works_creatorship",
    "works_tagging",
    "tags_filtertagging",
    "search_workdoc",
]


# The indexes a load dropped, kept in the database itself until each is built again: a run
# interrupted (Ctrl-C, kill -9, a full disk) leaves them here, and the next run, or
# `restore_dropped_indexes`, builds them before anything else.
MARKER = "bench_dropped_indexes"
_CREATE = re.compile(r"^\s*CREATE\s+(UNIQUE\s+)?INDEX\s+(?!IF\s+NOT\s+EXISTS)", re.IGNORECASE)


def drop_indexes() -> list[str]:
    """Drop the secondary indexes of the tables being loaded; return the SQL that rebuilds them.

    Building an index once over sorted data is far cheaper than a million random inserts.
    Each index is recorded in `MARKER` in the same transaction that drops it, so no index
    can be lost: `rebuild_indexes` (in a `finally`) or the next run builds it again.
    """
    restore_dropped_indexes(progress=False)  # what an interrupted run left dropped, first
    statements: list[str] = []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {MARKER} (position integer, name text, statement text)")
        if connection.vendor == "sqlite":
            placeholders = ", ".join(["%s"] * len(LOADED_TABLES))
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                f" AND tbl_name IN ({placeholders}) ORDER BY name",
                LOADED_TABLES,
            )
        else:
            cursor.execute(
                "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x"
                " JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid"
                " WHERE t.relname = ANY(%s) AND NOT x.indisunique AND NOT x.indisprimary"
                " ORDER BY i.relname",
                [LOADED_TABLES],
            )
        for position, (name, sql) in enumerate(cursor.fetchall()):
            statements.append(sql)
            cursor.execute(f"INSERT INTO {MARKER} VALUES (%s, %s, %s)", [position, name, sql])
            cursor.execute(f'DROP INDEX "{name}"')
    return statements


def dropped_indexes() -> list[tuple[str, str]]:
    """(name, SQL) of the indexes a load dropped and has not built again."""
    with connection.cursor() as cursor:
        if MARKER not in connection.introspection.table_names(cursor):
            return []
        cursor.execute(f"SELECT name, statement FROM {MARKER} ORDER BY position")
        return list(cursor.fetchall())


def rebuild_indexes(statements: list[str] | None = None, progress: bool = True) -> int:
    """Build again every index `MARKER` records (`statements` is what drop_indexes returned,
    for the count); each leaves the record as it is built. Returns how many were built."""
    built = 0
    for name, sql in tqdm(dropped_indexes(), disable=not progress, desc="indexes"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                _CREATE.sub(lambda m: f"CREATE {m.group(1) or ''}INDEX IF NOT EXISTS ", sql)
            )
            cursor.execute(f"DELETE FROM {MARKER} WHERE name = %s", [name])
        built += 1
    with connection.cursor() as cursor:
        if MARKER in connection.introspection.table_names(cursor):
            cursor.execute(f"DROP TABLE {MARKER}")
    return built


def restore_dropped_indexes(progress: bool = True) -> int:
    """If an earlier load was interrupted, build the indexes it dropped; how many."""
    return rebuild_indexes(progress=progress)


def _next_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
        return cursor.fetchone()[0]


def prepare() -> None:
    """Staging tables: filter taggings (moved in key order at the end), and on PostgreSQL the
    index rows and their text (joined into `search_workdoc` once, with the tsvector)."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_filter")
        cursor.execute("CREATE TABLE bench_filter (tag_id bigint, work_id bigint)")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_text")
            cursor.execute("DROP TABLE IF EXISTS bench_doc")
            cursor.execute(
                "CREATE UNLOGGED TABLE bench_text (work_id bigint PRIMARY KEY,"
                " title text, summary text, notes text, tags text, creators text, body text)"
            )
            cursor.execute(
                "CREATE UNLOGGED TABLE bench_doc (LIKE search_workdoc INCLUDING DEFAULTS)"
            )


_DOCUMENT = """
    setweight(to_tsvector('simple', t.title), 'A')
    || setweight(to_tsvector('simple', t.creators), 'B')
    || setweight(to_tsvector('simple', t.tags), 'B')
    || setweight(to_tsvector('simple', t.summary), 'C')
    || setweight(to_tsvector('simple', t.notes), 'C')
    || setweight(to_tsvector('simple', t.body), 'D')
"""
# The fields the query language matches apart (polis.search.indexing, migration 0005).
_FIELDS = """
    setweight(to_tsvector('simple', t.summary), 'A')
    || setweight(to_tsvector('simple', t.notes), 'B')
    || setweight(to_tsvector('simple', t.creators), 'C')
"""


def postgres_docs(progress: bool) -> None:
    """Write `search_workdoc` once from the staged rows and text, tsvector included, in
    slices spread over the cores (before its secondary indexes are rebuilt)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_name = 'search_workdoc' ORDER BY ordinal_position"
        )
        columns = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT MIN(work_id), MAX(work_id) FROM bench_doc")
        low, high = cursor.fetchone()
    if low is not None:
        names = ", ".join(columns)
        computed = {"document": _DOCUMENT, "fields": _FIELDS}
        values = ", ".join(computed.get(c, f"d.{c}") for c in columns)
        statement = (
            f"INSERT INTO search_workdoc ({names}) SELECT {values}"
            " FROM bench_doc d JOIN bench_text t ON t.work_id = d.work_id"
            " WHERE d.work_id >= %s AND d.work_id < %s ORDER BY d.work_id"
        )

        step = 25_000
        starts = range(low, high + 1, step)
        bar = tqdm(total=len(starts), disable=not progress, desc="search_workdoc")
        if connection.in_atomic_block:
            # Inside a transaction (the tests) other connections cannot see the staged rows.
            with connection.cursor() as cursor:
                for start in starts:
                    cursor.execute(statement, [start, start + step])
                    bar.update(1)
        else:

            def one_slice(start: int) -> None:
                try:
                    with connection.cursor() as cursor:
                        cursor.execute(statement, [start, start + step])
                finally:
                    connection.close()  # this thread's own connection
                bar.update(1)

            with ThreadPoolExecutor(max(1, min(4, os.cpu_count() or 1))) as pool:
                list(pool.map(one_slice, starts))
        bar.close()
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_text")
        cursor.execute("DROP TABLE bench_doc")


def _reset_sequences() -> None:
    """Rows were written with explicit ids; move PostgreSQL's sequences past them."""
    from django.core.management.color import no_style

    from polis.accounts.models import Pseud, User
    from polis.tags.models import Tag
    from polis.works.models import Chapter, Work

    statements = connection.ops.sequence_reset_sql(no_style(), [User, Pseud, Tag, Work, Chapter])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
