"""Which database errors pass if the same work is simply tried again a little later.

A task that meets one of these is handed back to the queue with back-off
(polis.core.worker); any other error fails it at once, since running it again would fail the
same way. Transient: SQLite's "database is locked" / "database table is locked" (another
writer held the lock past the busy timeout); on PostgreSQL a lost or refused connection
(SQLSTATE class 08, operator intervention 57P, a connection killed with no SQLSTATE at all),
a serialization failure or deadlock (class 40), too many connections (53300) and a lock not
available (55P03). A full or read-only disk is not transient (polis.core.degraded).
"""

import sqlite3

from django.db import InterfaceError, OperationalError

_PG_TRANSIENT = ("08", "40", "57P", "53300", "55P03")
_SQLITE_TRANSIENT = ("is locked", "database is busy")
_CHAIN_LIMIT = 10


def _chain(exc: BaseException):
    seen = 0
    while exc is not None and seen < _CHAIN_LIMIT:
        yield exc
        exc = exc.__cause__ or exc.__context__
        seen += 1


def is_transient_database_error(exc: BaseException) -> bool:
    """True if `exc`, or an error it was raised from, is a database error that passes."""
    for error in _chain(exc):
        if not isinstance(error, OperationalError | InterfaceError):
            continue
        cause = error.__cause__
        code = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
        if code:
            return str(code).startswith(_PG_TRANSIENT)
        if isinstance(cause, sqlite3.Error) or cause is None:
            return any(sign in str(error).lower() for sign in _SQLITE_TRANSIENT)
        # psycopg raises connection failures (closed, lost, refused) with no SQLSTATE.
        return type(cause).__module__.startswith(("psycopg", "psycopg2"))
    return False
