"""One way to serialise writers of the same thing: a transaction-scoped advisory lock.

PostgreSQL: `pg_advisory_xact_lock` on a 64-bit hash of a text key, released when the
transaction ends (commit or rollback), so a "check, then insert" holds for every writer of
that key. SQLite needs nothing: every transaction begins IMMEDIATE (settings), which already
holds the database's write lock until it ends.
"""

from __future__ import annotations

from django.db import connection


def advisory_lock(namespace: str, *parts: object) -> None:
    """Hold the lock of (namespace, *parts) until the current transaction ends.

    Call it inside `transaction.atomic()`: outside one, PostgreSQL releases it at once.
    """
    if connection.vendor != "postgresql":
        return
    key = ":".join([namespace, *(str(part) for part in parts)])
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key])
