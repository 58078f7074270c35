"""The local hour, weekday and month of a stored UTC time, computed inside the database.

PostgreSQL computes them natively (Django's extracts with `tzinfo`: AT TIME ZONE). On SQLite
those extracts call a Python function for every row, which is most of an insight's time.
There, the UTC time is shifted by the zone's UTC offset and SQLite's own `strftime` reads the
parts: the offset is constant between two DST transitions, so a CASE over the transitions
between `lo` and `hi` (found once in Python with zoneinfo) gives each row the offset in force
at its instant ("+3600 seconds" before the autumn change, "+0 seconds" after it). Correct
across DST; a time before `lo` or after `hi` gets the first or last offset, so callers pass
bounds that cover the rows whose exact local time matters.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import DateField, FloatField, Func, IntegerField
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay, TruncMonth

STORED = "%Y-%m-%d %H:%M:%S"  # how Django writes a UTC datetime into SQLite (then .ffffff)


def _offset(tz: ZoneInfo, at: datetime) -> int:
    delta = at.astimezone(tz).utcoffset()
    return int(delta.total_seconds()) if delta is not None else 0


@lru_cache(maxsize=256)
def segments(tz_name: str, lo: datetime, hi: datetime) -> tuple[tuple[datetime | None, int], ...]:
    """((until, offset seconds), ...): each offset holds for instants before its `until`
    (UTC, naive) and after the previous one; the last has no end. Transitions are found a
    day at a time, then to the second by bisection."""
    tz = ZoneInfo(tz_name)
    lo, hi = lo.astimezone(UTC), hi.astimezone(UTC)
    out: list[tuple[datetime | None, int]] = []
    at, current = lo, _offset(tz, lo)
    while at < hi:
        step = min(at + timedelta(days=1), hi)
        if _offset(tz, step) != current:
            left, right = at, step  # offset(left) == current != offset(right)
            while right - left > timedelta(seconds=1):
                mid = left + (right - left) / 2
                if _offset(tz, mid) == current:
                    left = mid
                else:
                    right = mid
            right = right.replace(microsecond=0)
            out.append((right.replace(tzinfo=None), current))
            current = _offset(tz, right)
        at = step
    out.append((None, current))
    return tuple(out)


def _as_date(value: Any, expression: Any, connection: Any) -> Any:
    return value.date() if isinstance(value, datetime) else value


class LocalPart(Func):
    """`part` ("hour" 0-23, "weekday" ISO 1-7, "month" the first day as a date) of a
    datetime column in the zone `tz_name`; `lo`/`hi` bound the instants (see the module)."""

    PARTS = {"hour": ExtractHour, "weekday": ExtractIsoWeekDay, "month": TruncMonth}

    def __init__(self, expression: Any, part: str, tz_name: str, lo: datetime, hi: datetime):
        if part not in self.PARTS:
            raise ValueError(f"unknown part {part!r}")
        self.part, self.tz_name, self.lo, self.hi = part, tz_name, lo, hi
        output = DateField() if part == "month" else IntegerField()
        super().__init__(expression, output_field=output)

    def get_db_converters(self, connection: Any) -> list[Any]:
        converters = super().get_db_converters(connection)
        if self.part == "month":  # PostgreSQL's date_trunc answers a timestamp
            converters.append(_as_date)
        return converters

    def _native(self) -> Any:
        cls = self.PARTS[self.part]
        extra = {"output_field": DateField()} if self.part == "month" else {}
        return cls(self.source_expressions[0], tzinfo=ZoneInfo(self.tz_name), **extra)

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # type: ignore[override]
        return compiler.compile(self._native().resolve_expression(compiler.query))

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        column, column_params = compiler.compile(self.source_expressions[0])
        parts = segments(self.tz_name, self.lo, self.hi)
        whens, params = [], []
        # Latest first: most rows are recent, and CASE stops at the first match.
        for (until, _), (_, later) in reversed(list(pairwise(parts))):
            assert until is not None
            whens.append(f"WHEN {column} >= %s THEN %s")
            params += [*column_params, until.strftime(STORED), f"{later:+d} seconds"]
        shift = f"CASE {' '.join(whens)} ELSE %s END" if whens else "%s"
        params.append(f"{parts[0][1]:+d} seconds")
        fmt = {"hour": "%H", "weekday": "%w", "month": "%Y-%m-01"}[self.part]
        # The format is a parameter: a literal % in the SQL would be read as a placeholder.
        sql = f"strftime(%s, {column}, {shift})"
        all_params = [fmt, *column_params, *params]
        if self.part == "hour":
            return f"CAST({sql} AS INTEGER)", all_params
        if self.part == "weekday":  # %w: 0 is Sunday; ISO: Monday 1 .. Sunday 7
            return f"(CASE CAST({sql} AS INTEGER) WHEN 0 THEN 7 ELSE CAST({sql} AS INTEGER) END)", [
                *all_params,
                *all_params,
            ]
        return sql, all_params


class EpochSeconds(Func):
    """A datetime column as seconds since 1970 (UTC), computed by the database: a list of
    many times reads as plain numbers, without a timezone-aware datetime made per row (most
    of the at-risk rule's time at three years of data)."""

    output_field = FloatField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        column, params = compiler.compile(self.source_expressions[0])
        return f"EXTRACT(EPOCH FROM {column})::float8", params

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # Django keeps UTC text 'YYYY-MM-DD HH:MM:SS[.ffffff]'; whole seconds are enough here.
        column, params = compiler.compile(self.source_expressions[0])
        if sqlite3.sqlite_version_info >= (3, 38):
            return f"unixepoch({column})", params
        return f"CAST(strftime('%%s', {column}) AS INTEGER)", params
