"""iCalendar text to busy ranges: pure (bytes and a window in, UTC ranges out).

recurring-ical-events expands RRULE/RDATE, drops EXDATE occurrences and applies
RECURRENCE-ID overrides; what stays ours is deciding what blocks and anchoring the times:
- TRANSP:TRANSPARENT ("free" in Google/Outlook/Apple) and STATUS:CANCELLED do not block;
- an all-day event (DTSTART;VALUE=DATE) blocks the whole local day(s) in the trainer's zone;
- a floating time (no TZID, no Z) is a wall-clock time of the trainer's zone;
- a TZID with its own VTIMEZONE (Google, Apple) or a Windows zone name (Outlook) is
  resolved by icalendar.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import recurring_ical_events
from icalendar import Calendar

_SLACK = timedelta(days=1)


class NotICalendar(ValueError):
    """The bytes are not an iCalendar document with a VCALENDAR."""


@dataclass(frozen=True, slots=True, order=True)
class BusyRange:
    start: datetime  # aware, UTC
    end: datetime  # aware, UTC, exclusive


def busy_ranges(
    data: bytes, *, tz_name: str, window_start: datetime, window_end: datetime
) -> list[BusyRange]:
    """Merged, sorted busy ranges of `data` overlapping [window_start, window_end)."""
    calendar = _calendar(data)
    zone = ZoneInfo(tz_name)
    found: list[BusyRange] = []
    # A day of slack each side: floating and all-day events are placed by the library in
    # no particular zone; ours places them in the trainer's, then clips to the window.
    try:
        query = recurring_ical_events.of(calendar, skip_bad_series=True)
        for event in query.between(window_start - _SLACK, window_end + _SLACK):
            if not _blocks(event):
                continue
            span = _span(event, zone)
            if span and span.end > window_start and span.start < window_end:
                found.append(span)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        # A broken event (no DTSTART, a bad rule) is bad data, reported like any other.
        raise NotICalendar(f"unreadable iCalendar data ({exc.__class__.__name__})") from exc
    return _merged(found)


def _calendar(data: bytes) -> Calendar:
    if b"BEGIN:VCALENDAR" not in data[:4096].upper():
        raise NotICalendar("not an iCalendar file (no BEGIN:VCALENDAR)")
    try:
        calendar = Calendar.from_ical(data)
    except (ValueError, KeyError, TypeError) as exc:
        raise NotICalendar(f"unreadable iCalendar data ({exc.__class__.__name__})") from exc
    # RFC 5545 requires a DTSTART; some exports drop it. Such an event blocks nothing, and
    # the expansion library would stop at it, so it is left out before.
    calendar.subcomponents = [
        c for c in calendar.subcomponents if c.name != "VEVENT" or c.get("DTSTART") is not None
    ]
    return calendar


def _blocks(event: object) -> bool:
    get = getattr(event, "get", None)
    if get is None or getattr(event, "name", "") != "VEVENT":
        return False
    transparent = str(get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT"
    cancelled = str(get("STATUS", "")).upper() == "CANCELLED"
    return not (transparent or cancelled)


def _span(event: object, zone: ZoneInfo) -> BusyRange | None:
    if event.get("DTSTART") is None:  # type: ignore[attr-defined]
        return None  # RFC 5545 requires one; some exports drop it: nothing to block
    start = event["DTSTART"].dt  # type: ignore[index]
    end_prop = event.get("DTEND")  # type: ignore[attr-defined]
    end = end_prop.dt if end_prop is not None else None
    if end is None:
        duration = event.get("DURATION")  # type: ignore[attr-defined]
        if duration is not None:
            end = start + duration.dt
        elif isinstance(start, datetime):
            return None  # a moment, not a stretch of time (RFC 5545: zero length)
        else:
            end = start + timedelta(days=1)
    begin, finish = _aware(start, zone), _aware(end, zone)
    if finish <= begin:
        return None
    return BusyRange(begin.astimezone(UTC), finish.astimezone(UTC))


def _aware(value: date | datetime, zone: ZoneInfo) -> datetime:
    """A DATE as local midnight of the trainer's zone; a floating time in that zone."""
    if not isinstance(value, datetime):
        return datetime.combine(value, time(0), tzinfo=zone)
    if value.tzinfo is None:
        return value.replace(tzinfo=zone)
    return value


def _merged(ranges: list[BusyRange]) -> list[BusyRange]:
    merged: list[BusyRange] = []
    for item in sorted(ranges):
        if merged and item.start <= merged[-1].end:
            last = merged[-1]
            merged[-1] = BusyRange(last.start, max(last.end, item.end))
        else:
            merged.append(item)
    return merged
