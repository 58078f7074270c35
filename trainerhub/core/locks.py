"""One way to serialise writers of the same thing: a transaction-scoped advisory lock.

PostgreSQL: `pg_advisory_xact_lock` on a 64-bit hash of a text key, released when the
transaction ends (commit or rollback), so a "check, then insert" holds for every writer of
that key. SQLite needs nothing: every transaction begins IMMEDIATE (settings), which already
holds the database's write lock until it ends.
"""

from __future__ import annotations

from django.db import connection


def advisory_lock(namespace: str, *parts: object, shared: bool = False) -> None:
    """Hold the lock of (namespace, *parts) until the current transaction ends.

    shared: many transactions may hold it together; an exclusive holder waits for them all
    (and they for it). A transaction that holds it exclusively may take it shared too.
    Call it inside `transaction.atomic()`: outside one, PostgreSQL releases it at once.
    """
    advisory_locks([((namespace, *parts), shared)])


def advisory_locks(locks: list[tuple[tuple[object, ...], bool]]) -> None:
    """Take several locks, each (namespace and parts, shared), in this order, in one round
    trip (a booking takes two on every write: see scheduling's lock_trainer_day)."""
    if connection.vendor != "postgresql" or not locks:
        return
    calls, keys = [], []
    for parts, shared in locks:
        function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
        calls.append(f"{function}(hashtextextended(%s, 0))")
        keys.append(":".join(str(part) for part in parts))
    # A select list is evaluated left to right: the locks are taken in the order given.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(calls)}", keys)
