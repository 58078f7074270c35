"""Times are stored in UTC and shown in the viewer's timezone, always with its name."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from functools import cache

from django.http import HttpRequest, HttpResponse
from django.utils import timezone


@cache
def all_timezones() -> tuple[str, ...]:
    """IANA names a person may pick, sorted; the legacy aliases are left out of pickers."""
    names = zoneinfo.available_timezones()
    return (
        *tuple(sorted(n for n in names if "/" in n and not n.startswith(("Etc/", "SystemV/")))),
        "UTC",
    )


# Files the system's zone directory holds that are not IANA zones: "localtime" is this
# machine's own zone (a different one on every server), "Factory" the tz database's
# placeholder for "zone not set yet" (abbreviation "-00"), "posixrules" a rules template.
NOT_ZONES = frozenset({"localtime", "Factory", "posixrules"})


@cache
def _known_timezones() -> frozenset[str]:
    # available_timezones() walks the tz database on disk (~100 ms): read it once.
    return frozenset(zoneinfo.available_timezones()) - NOT_ZONES


def is_valid_timezone(name: str) -> bool:
    """The one rule for every timezone the product accepts: a real IANA zone or link name
    (the legacy links such as "US/Eastern" and "Etc/GMT+2" included, as stored values)."""
    return isinstance(name, str) and name in _known_timezones()


def zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


def to_local(value: datetime, tz_name: str) -> datetime:
    return value.astimezone(zone(tz_name))


def local_day_bounds(tz_name: str, first_day: date, last_day: date) -> tuple[datetime, datetime]:
    """The instants of first_day 00:00 and (last_day + 1) 00:00 in the zone: the half-open
    range of those local dates, whatever daylight saving does in between (a day is 23 or 25
    hours long twice a year, so never add 24 hours to a midnight)."""
    tz = zone(tz_name)
    start = datetime.combine(first_day, time(0), tzinfo=tz)
    end = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=tz)
    return start, end


class TimezoneMiddleware:
    """Renders every page in the signed-in person's timezone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        tz_name = None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            tz_name = getattr(user, "timezone", None)
        if tz_name and is_valid_timezone(tz_name):
            timezone.activate(zone(tz_name))
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
