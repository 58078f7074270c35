"""When a client's program falls: its days in turn on the chosen weekdays from the start
date, for its length in weeks (pure)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any


@dataclass(frozen=True)
class Scheduled:
    date: date
    day: Any  # the ProgramDay
    week: int


def scheduled_days(
    *, start: date | None, weekdays: Sequence[int], weeks: int, days: Sequence[Any]
) -> Iterator[Scheduled]:
    if start is None or not weekdays or not days:
        return
    wanted = set(weekdays)
    index = 0
    for offset in range(weeks * 7):
        when = start + timedelta(days=offset)
        if when.weekday() in wanted:
            yield Scheduled(when, days[index % len(days)], offset // 7 + 1)
            index += 1


def day_on(
    *, start: date | None, weekdays: Sequence[int], weeks: int, days: Sequence[Any], on: date
) -> Scheduled | None:
    for s in scheduled_days(start=start, weekdays=weekdays, weeks=weeks, days=days):
        if s.date == on:
            return s
        if s.date > on:
            return None
    return None


def next_on_or_after(
    *, start: date | None, weekdays: Sequence[int], weeks: int, days: Sequence[Any], on: date
) -> Scheduled | None:
    for s in scheduled_days(start=start, weekdays=weekdays, weeks=weeks, days=days):
        if s.date >= on:
            return s
    return None


def week_of(start: date | None, on: date) -> int:
    if start is None or on < start:
        return 1
    return (on - start).days // 7 + 1
