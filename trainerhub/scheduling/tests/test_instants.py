"""Instants as integers (issue 20): the local dates and ISO texts answer exactly what
`astimezone(zone)` would, on ordinary dates, on both clock changes and at microseconds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainerhub.scheduling.instants import LocalClock, LocalDays, from_us, to_us

# Zones with a clock change at 01:00 UTC, at local midnight (Santiago falls back at 24:00,
# Havana springs forward at 00:00), by half an hour (Lord Howe), none at all, and past UTC+12.
ZONES = [
    "UTC",
    "Europe/London",
    "America/New_York",
    "America/Santiago",
    "America/Havana",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "Pacific/Kiritimati",
]
LOW = to_us(datetime(2026, 1, 1, tzinfo=UTC), "low")
HIGH = to_us(datetime(2027, 1, 1, tzinfo=UTC), "high")


@settings(max_examples=300, deadline=None)
@given(
    name=st.sampled_from(ZONES),
    instants=st.lists(st.integers(min_value=LOW, max_value=HIGH), min_size=1, max_size=40),
    whole_minutes=st.booleans(),
)
def test_local_dates_and_texts_are_what_the_zone_says(name, instants, whole_minutes):
    zone = ZoneInfo(name)
    if whole_minutes:
        instants = [i - i % 60_000_000 for i in instants]
    instants.sort()
    clock = LocalClock(zone, instants[0], instants[-1])
    expected = [from_us(i).astimezone(zone) for i in instants]
    assert clock.isos(instants) == [moment.isoformat() for moment in expected]
    assert [clock.of(i) for i in instants] == [moment.date() for moment in expected]


@pytest.mark.parametrize("name", ZONES)
def test_every_quarter_hour_of_a_year_reads_as_the_zone_says(name):
    zone = ZoneInfo(name)
    quarter = 15 * 60 * 1_000_000
    instants = list(range(LOW, HIGH, quarter))
    days = LocalDays(zone, LOW, HIGH)
    clock = LocalClock(zone, LOW, HIGH)
    expected = [from_us(i).astimezone(zone) for i in instants]
    assert [days.of(i) for i in instants] == [moment.date() for moment in expected]
    assert clock.isos(instants) == [moment.isoformat() for moment in expected]


def test_instants_outside_the_span_are_asked_of_the_zone():
    zone = ZoneInfo("Europe/London")
    clock = LocalClock(zone, LOW, LOW + 86_400_000_000)
    later = to_us(datetime(2026, 7, 1, 12, 30, 0, 5, tzinfo=UTC), "later")
    assert clock.iso(later) == "2026-07-01T13:30:00.000005+01:00"
    assert clock.of(later) == datetime(2026, 7, 1).date()


def test_a_naive_datetime_is_a_programming_error():
    with pytest.raises(ValueError, match="aware"):
        to_us(datetime(2026, 1, 1), "start")
    assert from_us(to_us(datetime(1969, 12, 31, 23, 59, 59, 500_000, tzinfo=UTC), "x")) == (
        datetime(1970, 1, 1, tzinfo=UTC) - timedelta(microseconds=500_000)
    )
