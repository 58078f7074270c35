"""The ICS corpus (tests/ics/, written for this project in the shapes Google, Outlook and
Apple export) gives exactly the expected busy ranges."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from trainerhub.calendars.parsing import BusyRange, NotICalendar, busy_ranges

ICS = Path(__file__).parent / "ics"
WINDOW = (datetime(2027, 3, 1, tzinfo=UTC), datetime(2027, 8, 1, tzinfo=UTC))


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def ranges(name: str, tz: str = "Europe/London", window=WINDOW) -> list[tuple[datetime, datetime]]:
    data = (ICS / name).read_bytes()
    found = busy_ranges(data, tz_name=tz, window_start=window[0], window_end=window[1])
    return [(r.start, r.end) for r in found]


EXPECTED = {
    # A VTIMEZONE of its own (Europe/Berlin, CEST = UTC+2) and a UTC ("Z") time.
    "google.ics": [
        (utc("2027-06-15T08:00"), utc("2027-06-15T09:30")),
        (utc("2027-06-16T16:00"), utc("2027-06-16T17:00")),
    ],
    # Windows zone name with its VTIMEZONE; the TRANSP:TRANSPARENT ("free") lunch is left out.
    "outlook.ics": [(utc("2027-06-14T06:00"), utc("2027-06-14T06:45"))],
    # A Windows zone name with no VTIMEZONE at all: icalendar maps it to Europe/London.
    "outlook_no_vtimezone.ics": [(utc("2027-06-14T08:00"), utc("2027-06-14T09:00"))],
    # Apple: America/New_York (EDT = UTC-4).
    "apple.ics": [(utc("2027-06-15T12:00"), utc("2027-06-15T13:00"))],
    # Weekly, 4 times, from 7 June: the 14th is an EXDATE, the 21st moved to 20:00-20:30 (BST).
    "recurring.ics": [
        (utc("2027-06-07T17:00"), utc("2027-06-07T18:00")),
        (utc("2027-06-21T19:00"), utc("2027-06-21T19:30")),
        (utc("2027-06-28T17:00"), utc("2027-06-28T18:00")),
    ],
    # All-day 1-2 July = the whole local days in London (BST); a floating 14:00 is London's
    # 14:00; transparent and cancelled events do not block; DURATION instead of DTEND.
    "allday_floating.ics": [
        (utc("2027-06-30T23:00"), utc("2027-07-02T23:00")),
        (utc("2027-07-05T13:00"), utc("2027-07-05T14:00")),
        (utc("2027-07-06T13:00"), utc("2027-07-06T13:45")),
    ],
    # Daily 08:30 London across the clocks going forward (Sunday 28 March 2027).
    "dst_london.ics": [
        (utc("2027-03-26T08:30"), utc("2027-03-26T09:00")),
        (utc("2027-03-27T08:30"), utc("2027-03-27T09:00")),
        (utc("2027-03-28T07:30"), utc("2027-03-28T08:00")),
        (utc("2027-03-29T07:30"), utc("2027-03-29T08:00")),
    ],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus(name):
    assert ranges(name) == EXPECTED[name]


def test_every_corpus_file_has_an_expectation():
    assert sorted(p.name for p in ICS.glob("*.ics")) == sorted(EXPECTED)


def test_all_day_follows_the_trainers_zone():
    # The same all-day event for a trainer in New York: midnight to midnight EDT.
    found = ranges("allday_floating.ics", tz="America/New_York")
    assert found[0] == (utc("2027-07-01T04:00"), utc("2027-07-03T04:00"))
    assert found[1] == (utc("2027-07-05T18:00"), utc("2027-07-05T19:00"))  # floating 14:00 EDT


def test_window_clips_and_recurrences_outside_are_left_out():
    window = (utc("2027-06-20T00:00"), utc("2027-06-25T00:00"))
    assert ranges("recurring.ics", window=window) == [
        (utc("2027-06-21T19:00"), utc("2027-06-21T19:30"))
    ]


def test_overlapping_events_are_merged():
    data = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//t//EN\r
BEGIN:VEVENT\r
UID:a\r
DTSTAMP:20270101T000000Z\r
DTSTART:20270601T090000Z\r
DTEND:20270601T100000Z\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:b\r
DTSTAMP:20270101T000000Z\r
DTSTART:20270601T093000Z\r
DTEND:20270601T110000Z\r
END:VEVENT\r
END:VCALENDAR\r
"""
    found = busy_ranges(data, tz_name="UTC", window_start=WINDOW[0], window_end=WINDOW[1])
    assert found == [BusyRange(utc("2027-06-01T09:00"), utc("2027-06-01T11:00"))]


@pytest.mark.parametrize(
    "data", [b"<html>Sign in</html>", b"", b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:garbage"]
)
def test_not_icalendar(data):
    with pytest.raises(NotICalendar):
        busy_ranges(data, tz_name="UTC", window_start=WINDOW[0], window_end=WINDOW[1])


@pytest.mark.parametrize(
    "lines",
    [
        b"",  # no DTSTART at all
        b"DTSTART;20270326T060000\r\n",  # no colon: no DTSTART either
        b"DTSTART:20270326T060000Z\r\nRRULE:FREQ=NOPE\r\n",
        b"DTSTART:20270326T060000Z\r\nDTEND:garbage\r\n",
    ],
    ids=["no-start", "no-colon", "bad-rule", "bad-end"],
)
def test_a_broken_event_is_skipped_not_a_crash(lines):
    data = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\n"
        + lines
        + b"END:VEVENT\r\nBEGIN:VEVENT\r\nUID:ok\r\nDTSTART:20270601T090000Z\r\n"
        b"DTEND:20270601T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    found = busy_ranges(data, tz_name="UTC", window_start=WINDOW[0], window_end=WINDOW[1])
    assert found == [BusyRange(utc("2027-06-01T09:00"), utc("2027-06-01T10:00"))]
