"""A task whose first attempts meet a real transient database fault (test_worker_retry.py).

While `context.attempt <= faults` it makes the fault happen for real, then writes:

- on SQLite another connection holds the write lock (BEGIN IMMEDIATE), so the write ends in
  "database is locked" (or, on the suite's shared in-memory database, "database table is
  locked"); the other connection then lets go, as a finished writer would;
- on PostgreSQL another connection kills this one (pg_terminate_backend), so the write ends
  in a lost connection.

If the write succeeds in spite of the fault the fault did not happen, and the task fails
with an AssertionError (not transient), so no test can pass by accident. Once past its
faults it writes a group named `name` and returns the attempt it succeeded on.
"""

import contextlib
import sqlite3
import time

from django.contrib.auth.models import Group
from django.db import connection, connections
from django_tasks import task


@contextlib.contextmanager
def _sqlite_lock_held():
    name = connection.settings_dict["NAME"]
    if str(name).startswith("file:"):  # the test runner's shared in-memory database
        other = sqlite3.connect(str(name), uri=True, isolation_level=None)
    else:
        other = sqlite3.connect(str(name), isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("UPDATE auth_group SET name = name WHERE id = -1")
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


@contextlib.contextmanager
def _pg_connection_killed():
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        [pid] = cursor.fetchone()
    killer = connections.create_connection("default")
    try:
        with killer.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
                if cursor.fetchone()[0] == 0:
                    break
                time.sleep(0.02)
        yield
    finally:
        killer.close()


def _fault():
    if connection.vendor == "sqlite":
        return _sqlite_lock_held()
    return _pg_connection_killed()


@task(takes_context=True)
def write_through_faults(context, name: str, faults: int) -> int:
    if context.attempt <= faults:
        with _fault():
            Group.objects.get_or_create(name=f"{name}-attempt-{context.attempt}")
        raise AssertionError("the write went through: the fault did not happen")
    Group.objects.get_or_create(name=name)
    return context.attempt


@task()
def query_a_missing_table() -> None:
    """A database error that is not transient: trying again would fail the same way."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM polis_no_such_table")
