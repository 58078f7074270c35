"""Instants as integers: whole microseconds since 1970 (UTC), with their local dates and
ISO 8601 texts in a zone. Plain Python over plain values, like the slot engine.

Exact like a datetime, but comparing, stepping and bisecting ints is several times faster,
which is what keeps a 60-day listing (thousands of candidates, a thousand or more offered
slots) within a few milliseconds. `LocalDays` and `LocalClock` answer what
`datetime.astimezone(zone)` would, without making a datetime per instant: on a date whose
UTC offset holds all day by bisecting its local midnights, and on a date where the clocks
change by asking the zone itself.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)
DAY_US = 86_400_000_000
SECOND_US = 1_000_000
ONE_DAY = timedelta(days=1)
MIDNIGHT = time(0)


def to_us(moment: datetime, what: str) -> int:
    """The instant of an aware datetime; ValueError for a naive one (`what` names it)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"The slot engine needs aware datetimes ({what} is naive).")
    return (moment - EPOCH) // MICROSECOND


def from_us(instant: int) -> datetime:
    """The instant as a UTC datetime."""
    return EPOCH + timedelta(0, 0, instant)


class LocalDays:
    """The local date in `zone` of instants between low and high (others are asked of the
    zone): the local midnights of the span, bisected."""

    __slots__ = ("dates", "midnights", "steady", "zone")

    def __init__(self, zone: ZoneInfo, low: int, high: int) -> None:
        self.zone = zone
        day = from_us(low).astimezone(zone).date() - ONE_DAY
        last = from_us(high).astimezone(zone).date() + ONE_DAY
        self.dates: list[date] = []
        self.midnights: list[int] = []
        offsets: list[timedelta | None] = []
        while day <= last:
            # fold=0: a midnight in a spring-forward gap reads as the gap's end, the date's
            # first instant; an ambiguous one as its first occurrence.
            midnight = datetime.combine(day, MIDNIGHT, tzinfo=zone)
            self.dates.append(day)
            self.midnights.append(to_us(midnight, "midnight"))
            offsets.append(midnight.utcoffset())
            day += ONE_DAY
        # Same offset at a date's midnight and the next: no clock change on that date (zones
        # never change twice within a day), so every instant between them is on it.
        self.steady = [a == b for a, b in pairwise(offsets)]

    def position(self, instant: int) -> int:
        """The index of the instant's steady local date in `dates`, else -1."""
        position = bisect_right(self.midnights, instant) - 1
        if 0 <= position < len(self.steady) and self.steady[position]:
            return position
        return -1

    def bounds(self, first: date, last: date) -> tuple[int, int] | None:
        """[first instant of `first`, first instant of the day after `last`) when every date
        of the span is steady (no clock change on any of them, so the local date only grows
        with the instant and the span is exactly the instants on those dates); else None."""
        try:
            start, stop = self.dates.index(first), self.dates.index(last + ONE_DAY)
        except ValueError:
            return None
        if not all(self.steady[max(start - 1, 0) : stop + 1]):
            return None
        return self.midnights[start], self.midnights[stop]

    def of(self, instant: int) -> date:
        position = self.position(instant)
        if position >= 0:
            return self.dates[position]
        return from_us(instant).astimezone(self.zone).date()


class LocalClock(LocalDays):
    """ISO 8601 texts of instants in `zone`, exactly as `astimezone(zone).isoformat()`
    writes them ('2026-12-04T07:15:00+00:00'), from strings made once per date and per
    time of day."""

    __slots__ = ("clock", "prefixes", "suffixes")

    def __init__(self, zone: ZoneInfo, low: int, high: int) -> None:
        super().__init__(zone, low, high)
        self.prefixes = [f"{day.isoformat()}T" for day in self.dates]
        # The offset as isoformat writes it: the text after the time of a whole second.
        self.suffixes = [
            datetime.combine(day, MIDNIGHT, tzinfo=zone).isoformat()[19:] for day in self.dates
        ]
        self.clock: dict[int, str] = {}

    def iso(self, instant: int) -> str:
        return self.isos((instant,))[0]

    def isos(self, instants: Iterable[int]) -> list[str]:
        """iso() of each instant; instants in order reuse their date's bounds."""
        midnights, steady, clock = self.midnights, self.steady, self.clock
        texts: list[str] = []
        add = texts.append
        low = high = 0
        prefix = suffix = ""
        for instant in instants:
            if not low <= instant < high:
                position = bisect_right(midnights, instant) - 1
                if not (0 <= position < len(steady) and steady[position]):
                    add(from_us(instant).astimezone(self.zone).isoformat())
                    low = high = 0
                    continue
                low, high = midnights[position], midnights[position + 1]
                prefix, suffix = self.prefixes[position], self.suffixes[position]
            seconds, fraction = divmod(instant - low, SECOND_US)
            text = clock.get(seconds)
            if text is None:
                minutes, second = divmod(seconds, 60)
                text = clock[seconds] = f"{minutes // 60:02d}:{minutes % 60:02d}:{second:02d}"
            if fraction:
                text = f"{text}.{fraction:06d}"
            add(prefix + text + suffix)
        return texts
