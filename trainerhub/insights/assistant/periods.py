"""Periods in plain words: "last month", "in October", "this year", "since September"."""

from __future__ import annotations

import re
from datetime import date, timedelta

from trainerhub.insights.periods import Period, add_months, month_end

MONTHS = {
    name: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for name in names
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_SINCE = re.compile(rf"\b(?:since|after)\s+(?:the\s+start\s+of\s+)?({_MONTH})\b(?:\s+(\d{{4}}))?")
_IN_MONTH = re.compile(rf"\b(?:in|during|for|of)?\s*({_MONTH})\b(?:\s+(\d{{4}}))?")
_LAST_N = re.compile(r"\b(?:in\s+)?(?:the\s+)?(?:last|past)\s+(\d{1,3})\s+(day|week|month)s?\b")
_YEAR = re.compile(r"\b(?:in|during)\s+(20\d\d)\b")
_WORDS = (
    ("today", "today"),
    ("yesterday", "yesterday"),
    ("this week", "this_week"),
    ("last week", "last_week"),
    ("next week", "next_week"),
    ("this month", "this_month"),
    ("last month", "last_month"),
    ("next month", "next_month"),
    ("this year", "this_year"),
    ("last year", "last_year"),
    ("all time", "all"),
    ("ever", "all"),
)


def _month_period(month: int, year: int | None, today: date, tz: str) -> Period:
    """A named month: of the given year, else its latest occurrence up to this month."""
    if year is None:
        year = today.year if month <= today.month else today.year - 1
    first = date(year, month, 1)
    return Period(first, month_end(first), tz)


def parse_period(text: str, *, today: date, tz: str) -> tuple[Period | None, str, str]:
    """(period, its words as understood, text without them); no period: (None, "", text)."""
    match = _LAST_N.search(text)
    if match:
        n, unit = int(match.group(1)), match.group(2)
        days = n * {"day": 1, "week": 7, "month": 30}[unit]
        period = Period(today - timedelta(days=days - 1), today, tz)
        return period, f"the last {n} {unit}{'s' if n != 1 else ''}", _cut(text, match)
    match = _SINCE.search(text)
    if match:
        start = _month_period(MONTHS[match.group(1)], _int(match.group(2)), today, tz).first_day
        return Period(start, today, tz), f"since {start:%B %Y}", _cut(text, match)
    for words, key in _WORDS:
        found = re.search(rf"\b{words}\b", text)
        if found:
            return named(key, today, tz), words, _cut(text, found)
    match = _YEAR.search(text)
    if match:
        year = int(match.group(1))
        return Period(date(year, 1, 1), date(year, 12, 31), tz), str(year), _cut(text, match)
    match = _IN_MONTH.search(text)
    if match and match.group(0).strip():
        period = _month_period(MONTHS[match.group(1)], _int(match.group(2)), today, tz)
        return period, f"{period.first_day:%B %Y}", _cut(text, match)
    return None, "", text


def named(key: str, today: date, tz: str) -> Period:
    monday = today - timedelta(days=today.weekday())
    first_of_month = today.replace(day=1)
    spans = {
        "today": (today, today),
        "yesterday": (today - timedelta(days=1), today - timedelta(days=1)),
        "this_week": (monday, monday + timedelta(days=6)),
        "last_week": (monday - timedelta(days=7), monday - timedelta(days=1)),
        "next_week": (monday + timedelta(days=7), monday + timedelta(days=13)),
        "this_month": (first_of_month, month_end(first_of_month)),
        "last_month": (add_months(first_of_month, -1), first_of_month - timedelta(days=1)),
        "next_month": (add_months(first_of_month, 1), month_end(add_months(first_of_month, 1))),
        "this_year": (date(today.year, 1, 1), date(today.year, 12, 31)),
        "last_year": (date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)),
        "all": (date(2000, 1, 1), today + timedelta(days=366)),
    }
    first, last = spans[key]
    return Period(first, last, tz)


def _int(raw: str | None) -> int | None:
    return int(raw) if raw else None


def _cut(text: str, match: re.Match[str]) -> str:
    return (text[: match.start()] + " " + text[match.end() :]).strip()


def describe(period: Period) -> str:
    if period.first_day == date(2000, 1, 1):
        return "all time"
    if period.first_day == period.last_day:
        return f"{period.first_day:%a %d %b %Y}"
    return f"{period.first_day:%d %b %Y} to {period.last_day:%d %b %Y}"
