"""The database half of a backup: a consistent dump, its facts, and loading it back.

SQLite goes through the online backup API (a page-by-page copy that is consistent even while
the app writes); PostgreSQL through `pg_dump -Fc` inside an exported snapshot, so the row
counts in the manifest describe exactly the rows in the dump.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from django.db.backends.base.base import BaseDatabaseWrapper

from trainerhub.core.backups.errors import BackupError

if TYPE_CHECKING:
    from django.db.backends.postgresql.base import DatabaseWrapper as PgWrapper
    from django.db.backends.sqlite3.base import DatabaseWrapper as SqliteWrapper

DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}

# libpq reads these from the environment, so nothing secret ever appears in a process list.
_LIBPQ_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}


@dataclass(frozen=True)
class DatabaseFacts:
    """What the manifest says about the database in the archive."""

    vendor: str
    server_version: str
    migrations: dict[str, str]
    row_counts: dict[str, int]

    def as_json(self, dump_name: str) -> dict[str, Any]:
        return {
            "vendor": self.vendor,
            "server_version": self.server_version,
            "dump": dump_name,
            "migrations": self.migrations,
            "row_counts": self.row_counts,
        }


def dump(connection: BaseDatabaseWrapper, dest: Path) -> DatabaseFacts:
    """Write a consistent dump of `connection`'s database to `dest`; the facts of that dump."""
    if connection.vendor == "sqlite":
        return _sqlite_dump(cast("SqliteWrapper", connection), dest)
    if connection.vendor == "postgresql":
        return _pg_dump(cast("PgWrapper", connection), dest)
    raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")


def load(connection: BaseDatabaseWrapper, dump_file: Path) -> None:
    """Replace the whole database behind `connection` with the dump, all or nothing."""
    # Our own connection must not hold a read snapshot or locks while the content changes.
    connection.close()
    if connection.vendor == "sqlite":
        _sqlite_load(cast("SqliteWrapper", connection), dump_file)
    else:
        _pg_load(cast("PgWrapper", connection), dump_file)
    connection.close()


def check_dump(connection: BaseDatabaseWrapper, dump_file: Path) -> None:
    """Prove the dump loads before anything is replaced (BackupError otherwise)."""
    if connection.vendor == "postgresql":
        pg_check_dump(cast("PgWrapper", connection), dump_file)
        return
    with closing(sqlite3.connect(f"file:{dump_file}?mode=ro", uri=True)) as copy:
        try:
            verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            verdict = str(exc)
    if verdict != "ok":
        raise BackupError(f"The backup's SQLite database is damaged: {verdict}")


def live_row_counts(connection: BaseDatabaseWrapper) -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        return _row_counts(cursor, tables, connection.ops.quote_name)


def _row_counts(cursor: Any, tables: Iterable[str], quote: Any) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - introspected names
        counts[table] = cursor.fetchone()[0]
    return counts


def _latest_migrations(cursor: Any) -> dict[str, str]:
    # The last one applied per app: ids grow in the order `migrate` recorded them.
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
    return dict(cursor.fetchall())


# --- SQLite ---------------------------------------------------------------------------------


def _sqlite_path(connection: SqliteWrapper) -> str:
    if connection.is_in_memory_db():
        # Another connection cannot see an in-memory database; settings give tests a file.
        raise BackupError("An in-memory SQLite database cannot be backed up or restored.")
    return str(connection.settings_dict["NAME"])


def _sqlite_dump(connection: SqliteWrapper, dest: Path) -> DatabaseFacts:
    # A connection of our own, outside any transaction Django may have open, so the copy
    # holds committed data only.
    source = sqlite3.connect(_sqlite_path(connection), timeout=20)
    target = sqlite3.connect(dest)
    with closing(source), closing(target):
        source.backup(target)
    with closing(sqlite3.connect(dest)) as copy:
        cursor = copy.cursor()
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        tables = [row[0] for row in cursor.fetchall()]
        return DatabaseFacts(
            vendor="sqlite",
            server_version=sqlite3.sqlite_version,
            migrations=_latest_migrations(cursor),
            row_counts=_row_counts(cursor, tables, connection.ops.quote_name),
        )


def _sqlite_load(connection: SqliteWrapper, dump_file: Path) -> None:
    # The backup API in reverse: one write transaction on the live file, so other processes
    # (web, worker) see the old database or the new one, and keep their file handles.
    source = sqlite3.connect(f"file:{dump_file}?mode=ro", uri=True)
    target = sqlite3.connect(_sqlite_path(connection), timeout=20)
    with closing(source), closing(target):
        try:
            source.backup(target)
        except sqlite3.Error as exc:
            raise BackupError(f"SQLite could not load the backup: {exc}") from exc


# --- PostgreSQL -----------------------------------------------------------------------------


def _pg_env(connection: PgWrapper) -> dict[str, str]:
    s = connection.settings_dict
    env = {**os.environ}
    for key, var in {
        "HOST": "PGHOST",
        "PORT": "PGPORT",
        "USER": "PGUSER",
        "NAME": "PGDATABASE",
    }.items():
        if s.get(key):
            env[var] = str(s[key])
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])
    for option, var in _LIBPQ_ENV.items():
        if s["OPTIONS"].get(option):
            env[var] = str(s["OPTIONS"][option])
    return env


def pg_tool(name: str, server_major: int) -> str:
    """The client program matching the server's major version where Debian installs it.

    pg_dump refuses a server newer than itself, so the versioned binary wins over PATH."""
    versioned = Path(f"/usr/lib/postgresql/{server_major}/bin/{name}")
    if versioned.is_file():
        return str(versioned)
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} was not found. Install the PostgreSQL {server_major} client "
            f"(Debian: apt-get install postgresql-client-{server_major})."
        )
    return found


def _run(argv: list[str], env: dict[str, str], what: str) -> subprocess.CompletedProcess:
    result = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{what}: {result.stderr.strip()}")
    return result


def _server_major(connection: PgWrapper) -> int:
    connection.ensure_connection()
    return int(connection.pg_version) // 10000


def _pg_dump(connection: PgWrapper, dest: Path) -> DatabaseFacts:
    major = _server_major(connection)
    raw = connection.Database.connect(**connection.get_connection_params())
    with closing(raw):
        # One repeatable-read snapshot, exported to pg_dump: the counts and the dump see the
        # very same rows even while the app keeps writing.
        raw.isolation_level = connection.Database.IsolationLevel.REPEATABLE_READ
        raw.read_only = True
        cursor = raw.cursor()
        cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
        snapshot, server_version = cursor.fetchone()
        argv = [pg_tool("pg_dump", major), "-Fc", f"--snapshot={snapshot}", "-f", str(dest)]
        _run(argv, _pg_env(connection), "pg_dump failed")
        tables = connection.introspection.table_names(cursor)
        facts = DatabaseFacts(
            vendor="postgresql",
            server_version=server_version,
            migrations=_latest_migrations(cursor),
            row_counts=_row_counts(cursor, tables, connection.ops.quote_name),
        )
        raw.rollback()
    return facts


def pg_check_dump(connection: PgWrapper, dump_file: Path) -> list[str]:
    """The dump's table of contents (pg_restore reads the whole header): proof it loads."""
    argv = [pg_tool("pg_restore", _server_major(connection)), "-l", str(dump_file)]
    damaged = "The backup's PostgreSQL database is damaged"
    return _run(argv, _pg_env(connection), damaged).stdout.splitlines()


def _pg_load(connection: PgWrapper, dump_file: Path) -> None:
    major = _server_major(connection)
    env = _pg_env(connection)
    work = dump_file.parent
    # Comments on extensions need their owner (a superuser); everything else is ours.
    toc = [
        line for line in pg_check_dump(connection, dump_file) if "COMMENT - EXTENSION" not in line
    ]
    (work / "restore.list").write_text("\n".join(toc) + "\n")
    (work / "drop.sql").write_text(_drop_everything_sql(connection))
    restore = [pg_tool("pg_restore", major), "--no-owner", "--no-privileges"]
    restore += ["-L", str(work / "restore.list"), "-f", "-", str(dump_file)]
    # psql runs the drops and the dump's script in ONE transaction: on any error nothing of
    # the current database is lost.
    psql = [pg_tool("psql", major), "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction"]
    psql += ["-f", str(work / "drop.sql"), "-f", "-"]
    producer = subprocess.Popen(restore, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # noqa: S603
    consumer = subprocess.run(  # noqa: S603
        psql, env=env, stdin=producer.stdout, capture_output=True, text=True, check=False
    )
    assert producer.stdout is not None and producer.stderr is not None  # both are PIPEs
    producer.stdout.close()
    producer_err = producer.stderr.read().decode(errors="replace")
    producer.wait()
    if producer.returncode != 0 or consumer.returncode != 0:
        raise BackupError(
            "Restoring the PostgreSQL dump failed; the database is unchanged: "
            f"{(consumer.stderr or producer_err).strip()}"
        )


def _drop_everything_sql(connection: PgWrapper) -> str:
    # Every table goes, not only those in the dump: a table a newer migration created must not
    # survive, or `migrate` would fail to create it again after the restore.
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    connection.close()
    lines = ["SET LOCAL lock_timeout = '30s';"]
    if tables:
        names = ", ".join(connection.ops.quote_name(t) for t in tables)
        lines.append(f"DROP TABLE IF EXISTS {names} CASCADE;")
    return "\n".join(lines) + "\n"
