"""The periods insights are asked for: local dates in the trainer's zone, and the one before.

A period is a closed range of local dates. The picker offers named periods; the API takes
`from`/`to` dates. Its comparison is the period of the same length just before it (the
previous calendar month for a calendar month, the previous year for a year).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from trainerhub.core.timezones import local_day_bounds

PRESETS = {
    "30d": "Last 30 days",
    "90d": "Last 90 days",
    "this_month": "This month",
    "last_month": "Last month",
    "this_year": "This year",
    "last_year": "Last year",
    "12m": "Last 12 months",
    "custom": "Custom",
}
DEFAULT_PRESET = "90d"
MAX_DAYS = 3 * 366 + 1


@dataclass(frozen=True)
class Period:
    first_day: date
    last_day: date
    tz: str
    key: str = "custom"

    @property
    def label(self) -> str:
        if self.key == "custom":
            return f"{self.first_day:%d %b %Y} to {self.last_day:%d %b %Y}"
        return PRESETS[self.key]

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        return local_day_bounds(self.tz, self.first_day, self.last_day)

    def previous(self) -> Period:
        """The comparison period: the calendar month or year before for whole months or
        years, else the same number of days just before."""
        first, last = self.first_day, self.last_day
        if first.day == 1 and (last + timedelta(days=1)).day == 1:
            months = (last.year - first.year) * 12 + last.month - first.month + 1
            start = add_months(first, -months)
            return Period(start, first - timedelta(days=1), self.tz)
        return Period(first - timedelta(days=self.days), first - timedelta(days=1), self.tz)


def add_months(day: date, months: int) -> date:
    """The first of the month `months` after day's month (day is assumed a 1st)."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(first: date) -> date:
    return add_months(first, 1) - timedelta(days=1)


def preset_period(key: str, *, today: date, tz: str) -> Period:
    """A named period ending today (or the whole of last month/year); unknown: 90 days."""
    this_month = today.replace(day=1)
    if key == "30d":
        return Period(today - timedelta(days=29), today, tz, key)
    if key == "this_month":
        return Period(this_month, today, tz, key)
    if key == "last_month":
        first = add_months(this_month, -1)
        return Period(first, this_month - timedelta(days=1), tz, key)
    if key == "this_year":
        return Period(date(today.year, 1, 1), today, tz, key)
    if key == "last_year":
        return Period(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31), tz, key)
    if key == "12m":
        return Period(add_months(this_month, -11), today, tz, key)
    return Period(today - timedelta(days=89), today, tz, DEFAULT_PRESET)


def months_between(first: date, last: date) -> list[date]:
    """The first day of every month meeting first..last, in order."""
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months
