"""The assistant's SQL: checked with sqlglot before it runs, then run read-only and scoped.

The model writes one SELECT over three documented views (VIEWS). Nothing else exists for
it: the views are CTEs this module puts in front of its query, each filtered by the
trainer's id as a bound parameter, never pasted into the text, so the query can only see
the trainer's rows whatever it says. Before running, `check` refuses anything but a single
plain SELECT: no second statement, no comment, no WITH of its own, no table but the views
(no schema-qualified names, so no system catalogs), no column the views do not have (so
no trainer_id), no function outside FUNCTIONS (so no sleeping or file reading), no
placeholder, no locking clause, no INTO. `run` then executes it in a savepoint it always
rolls back, read-only with a 2 s statement timeout (PostgreSQL: SET LOCAL
transaction_read_only and statement_timeout; SQLite: PRAGMA query_only and a progress
handler), and reads at most MAX_ROWS rows.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import sqlglot
from django.db import connection, transaction
from sqlglot import exp
from sqlglot.errors import ParseError

from trainerhub.insights.assistant.catalog import DOCS, VIEWS

__all__ = ["DOCS", "VIEWS", "Checked", "Refused", "check", "run", "scoped_sql"]

MAX_ROWS = 1000
TIMEOUT_MS = 2000
MAX_SQL = 4000

FUNCTIONS: tuple[type[exp.Expression], ...] = (
    exp.Count,
    exp.Sum,
    exp.Avg,
    exp.Min,
    exp.Max,
    exp.Coalesce,
    exp.Nullif,
    exp.Lower,
    exp.Upper,
    exp.Trim,
    exp.Length,
    exp.Substring,
    exp.Concat,
    exp.Round,
    exp.Abs,
    exp.Cast,
    exp.TryCast,
    exp.Case,
    exp.If,
    exp.Extract,
    exp.DateTrunc,
    exp.TimestampTrunc,
    exp.CurrentDate,
    exp.CurrentTimestamp,
    exp.Greatest,
    exp.Least,
    exp.Floor,
    exp.Ceil,
)
FORBIDDEN: tuple[type[exp.Expression], ...] = (
    exp.With,
    exp.CTE,
    exp.Into,
    exp.Lock,
    exp.Placeholder,
    exp.Parameter,
    exp.Command,
    exp.Insert,
    exp.Update,
    exp.Delete,
    exp.Drop,
    exp.Create,
    exp.Alter,
    exp.Merge,
    exp.Pragma,
    exp.Set,
    exp.Transaction,
    exp.Commit,
    exp.Rollback,
    exp.Use,
    exp.Copy,
    exp.Lateral,
    exp.TableSample,
    exp.Anonymous,
    exp.UserDefinedFunction,
    exp.Values,
)
_ALL_COLUMNS = frozenset(c for cols, *_ in VIEWS.values() for c in cols)


class Refused(Exception):
    """The query breaks a rule; the message says which (shown to the trainer, logged)."""


@dataclass(frozen=True)
class Checked:
    select: exp.Select

    def sql(self, vendor: str) -> str:
        dialect = "postgres" if vendor == "postgresql" else "sqlite"
        return self.select.sql(dialect=dialect)


def check(sql: str) -> Checked:
    """The parsed query if it passes every rule of the module's docstring, else Refused."""
    text = sql.strip().rstrip(";").strip()
    if not text:
        raise Refused("The query is empty.")
    if len(text) > MAX_SQL:
        raise Refused("The query is too long.")
    if ";" in text:
        raise Refused("Only one statement may run.")
    if "--" in text or "/*" in text or "*/" in text or "#" in text:
        raise Refused("Comments are not allowed.")
    if "\\" in text or "\x00" in text:
        raise Refused("Backslashes and control characters are not allowed.")
    try:
        statements = sqlglot.parse(text, read="postgres")
    except (ParseError, ValueError, RecursionError) as error:
        raise Refused(f"The query does not parse: {str(error)[:200]}") from None
    if len(statements) != 1 or statements[0] is None:
        raise Refused("Only one statement may run.")
    tree = statements[0]
    if not isinstance(tree, exp.Select):
        raise Refused("Only a SELECT may run.")
    aliases = {a.alias.lower() for a in tree.find_all(exp.Alias) if a.alias}
    tables = {t.alias_or_name.lower() for t in tree.find_all(exp.Table)}
    for node in tree.walk():
        if isinstance(node, FORBIDDEN):
            raise Refused(f"{type(node).__name__} is not allowed.")
        if node.comments:
            raise Refused("Comments are not allowed.")
        if isinstance(node, exp.Table):
            if node.args.get("db") or node.args.get("catalog"):
                raise Refused("Only the views clients, services and bookings can be read.")
            if not isinstance(node.this, exp.Identifier) or node.name.lower() not in VIEWS:
                raise Refused(
                    "Only the views clients, services and bookings can be read, "
                    f"not {node.sql()!r}."
                )
        elif isinstance(node, exp.Func) and not isinstance(node, FUNCTIONS):
            raise Refused(f"The function {node.sql_name()} is not allowed.")
        elif isinstance(node, exp.Column):
            if node.args.get("db") or node.args.get("catalog"):
                raise Refused("Columns are named by view and column only.")
            name = node.name.lower()
            if (
                name not in _ALL_COLUMNS
                and name not in aliases
                and not isinstance(node.this, exp.Star)
            ):
                raise Refused(f"There is no column {node.name!r} in the views.")
            if node.table and node.table.lower() not in tables:
                raise Refused(f"{node.table!r} is not one of the query's tables.")
    return Checked(tree)


def scoped_sql(checked: Checked, vendor: str) -> tuple[str, list[Any]]:
    """The views as CTEs filtered by a bound trainer id, then the checked query, capped."""
    parts = []
    for name, (columns, table, sources, extra) in VIEWS.items():
        select = ", ".join(f"{src} AS {col}" for col, src in zip(columns, sources, strict=True))
        # Our own constant names; the trainer is a bound parameter.
        parts.append(f'{name} AS (SELECT {select} FROM "{table}" WHERE trainer_id = %s{extra})')  # noqa: S608
    body = checked.sql(vendor).replace("%", "%%")
    # body is the checked query re-written by sqlglot from its parsed tree (never the text).
    sql = f"WITH {', '.join(parts)} SELECT * FROM ({body}) AS answer LIMIT {MAX_ROWS + 1}"  # noqa: S608
    return sql, ["trainer"] * len(VIEWS)


class _RolledBack(Exception):
    pass


def run(checked: Checked, *, trainer_id: int) -> tuple[list[str], list[list[Any]], bool]:
    """(columns, rows, truncated) of the checked query for one trainer, read-only, within
    TIMEOUT_MS, at most MAX_ROWS rows; nothing it does can outlive its savepoint."""
    vendor = connection.vendor
    sql, params = scoped_sql(checked, vendor)
    params = [trainer_id for _ in params]
    columns: list[str] = []
    rows: list[list[Any]] = []
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                if vendor == "postgresql":
                    cursor.execute("SET LOCAL transaction_read_only = on")
                    cursor.execute(f"SET LOCAL statement_timeout = {TIMEOUT_MS}")
                    cursor.execute(sql, params)
                    columns, rows = _fetch(cursor)
                else:
                    raw = connection.connection
                    deadline = time.monotonic() + TIMEOUT_MS / 1000
                    raw.execute("PRAGMA query_only = 1")
                    raw.set_progress_handler(lambda: int(time.monotonic() > deadline), 1000)
                    try:
                        cursor.execute(sql, params)
                        columns, rows = _fetch(cursor)
                    finally:
                        raw.set_progress_handler(None, 0)
                        raw.execute("PRAGMA query_only = 0")
            raise _RolledBack
    except _RolledBack:
        pass
    return columns, rows[:MAX_ROWS], len(rows) > MAX_ROWS


def _fetch(cursor: Any) -> tuple[list[str], list[list[Any]]]:
    columns = [d[0] for d in cursor.description or ()]
    return columns, [list(r) for r in cursor.fetchmany(MAX_ROWS + 1)]
