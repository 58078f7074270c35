"""The slot engine on daylight-saving days, both ways, in London and New York.

Window bounds are wall times read with fold=0: a time in the spring-forward gap moves
forward by the gap, an ambiguous one is its first occurrence. Candidates then step by
elapsed time, so a 00:00-04:00 window lasts 3 hours in spring and 5 in autumn.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from trainerhub.scheduling.slots import (
    Availability,
    RefusalCode,
    ServiceRules,
    SlotRefused,
    WeeklyRule,
    check_candidate,
    compute_slots,
)

NOW = datetime(2026, 1, 1, tzinfo=UTC)
HALF_HOUR = timedelta(minutes=30)

LONDON_SPRING = date(2026, 3, 29)  # 01:00 GMT -> 02:00 BST
LONDON_AUTUMN = date(2026, 10, 25)  # 02:00 BST -> 01:00 GMT
NEW_YORK_SPRING = date(2026, 3, 8)  # 02:00 EST -> 03:00 EDT
NEW_YORK_AUTUMN = date(2026, 11, 1)  # 02:00 EDT -> 01:00 EST


def rules(duration: timedelta = HALF_HOUR) -> ServiceRules:
    return ServiceRules(
        id=1,
        duration=duration,
        interval=HALF_HOUR,
        min_notice=timedelta(0),
        max_advance=timedelta(days=400),
    )


def sunday_hours(tz: str, start: str, end: str) -> Availability:
    window = WeeklyRule(6, time.fromisoformat(start), time.fromisoformat(end))
    return Availability(tz=tz, weekly=(window,))


def utc_times(tz: str, day: date, start: str = "00:00", end: str = "04:00", **kw) -> list[str]:
    found = compute_slots(
        rules(**kw), sunday_hours(tz, start, end), [], now=NOW, first_day=day, last_day=day
    )
    return [f"{slot.start:%H:%M}" for slot in found]


def series(first: str, count: int) -> list[str]:
    start = datetime.combine(date(2026, 1, 1), time.fromisoformat(first))
    return [f"{start + HALF_HOUR * n:%H:%M}" for n in range(count)]


@pytest.mark.parametrize(
    ("tz", "day", "first_utc", "count"),
    [
        # 00:00 GMT is 00:00 UTC; 04:00 BST is 03:00 UTC: three hours, six starts.
        ("Europe/London", LONDON_SPRING, "00:00", 6),
        # 00:00 BST is 23:00 UTC the day before; 04:00 GMT is 04:00 UTC: five hours.
        ("Europe/London", LONDON_AUTUMN, "23:00", 10),
        # 00:00 EST is 05:00 UTC; 04:00 EDT is 08:00 UTC.
        ("America/New_York", NEW_YORK_SPRING, "05:00", 6),
        # 00:00 EDT is 04:00 UTC; 04:00 EST is 09:00 UTC.
        ("America/New_York", NEW_YORK_AUTUMN, "04:00", 10),
    ],
)
def test_a_night_window_on_a_clock_change_day_steps_in_elapsed_time(tz, day, first_utc, count):
    assert utc_times(tz, day) == series(first_utc, count)


def test_london_spring_local_starts_skip_the_missing_hour():
    found = compute_slots(
        rules(),
        sunday_hours("Europe/London", "00:00", "04:00"),
        [],
        now=NOW,
        first_day=LONDON_SPRING,
        last_day=LONDON_SPRING,
    )
    zone = ZoneInfo("Europe/London")

    assert [f"{s.start.astimezone(zone):%H:%M %Z}" for s in found] == [
        "00:00 GMT",
        "00:30 GMT",
        "02:00 BST",
        "02:30 BST",
        "03:00 BST",
        "03:30 BST",
    ]


def test_new_york_autumn_offers_the_repeated_hour_twice():
    found = compute_slots(
        rules(),
        sunday_hours("America/New_York", "00:00", "04:00"),
        [],
        now=NOW,
        first_day=NEW_YORK_AUTUMN,
        last_day=NEW_YORK_AUTUMN,
    )
    zone = ZoneInfo("America/New_York")

    assert [f"{s.start.astimezone(zone):%H:%M %Z}" for s in found] == [
        "00:00 EDT",
        "00:30 EDT",
        "01:00 EDT",
        "01:30 EDT",
        "01:00 EST",
        "01:30 EST",
        "02:00 EST",
        "02:30 EST",
        "03:00 EST",
        "03:30 EST",
    ]


@pytest.mark.parametrize(
    ("tz", "day", "start", "end", "expected_utc"),
    [
        # 01:30 does not exist in London that night: read as GMT it is 02:30 BST.
        ("Europe/London", LONDON_SPRING, "01:30", "03:00", ["01:30"]),
        # 02:30 does not exist in New York: 02:30 EST is 03:30 EDT (07:30 UTC).
        ("America/New_York", NEW_YORK_SPRING, "02:30", "04:00", ["07:30"]),
    ],
)
def test_a_missing_wall_time_moves_forward_by_the_gap(tz, day, start, end, expected_utc):
    assert utc_times(tz, day, start, end) == expected_utc


@pytest.mark.parametrize(
    ("tz", "day", "first_utc"),
    [
        # 01:30 happens twice; the window opens at the first, 01:30 BST = 00:30 UTC.
        ("Europe/London", LONDON_AUTUMN, "00:30"),
        # 01:30 EDT = 05:30 UTC.
        ("America/New_York", NEW_YORK_AUTUMN, "05:30"),
    ],
)
def test_an_ambiguous_window_start_takes_the_first_occurrence(tz, day, first_utc):
    # Until 03:00 standard time: two and a half hours of elapsed time, five starts.
    assert utc_times(tz, day, "01:30", "03:00") == series(first_utc, 5)


def test_an_ambiguous_candidate_is_accepted_at_either_occurrence_on_the_grid():
    avail = sunday_hours("Europe/London", "00:00", "04:00")
    first = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 01:30 BST
    second = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # 01:30 GMT

    for start in (first, second):
        assert check_candidate(rules(), avail, [], now=NOW, start=start).start == start


def test_an_hour_long_session_fits_in_elapsed_time():
    # 00:00-04:00 on London's spring day is three hours: hour-long sessions on the
    # half-hour grid fit until 02:00 UTC (03:00 BST).
    times = utc_times("Europe/London", LONDON_SPRING, duration=timedelta(hours=1))

    assert times == series("00:00", 5)
    avail = sunday_hours("Europe/London", "00:00", "04:00")
    too_late = datetime(2026, 3, 29, 2, 30, tzinfo=UTC)  # 03:30 BST, would end 04:30
    with pytest.raises(SlotRefused) as caught:
        check_candidate(rules(timedelta(hours=1)), avail, [], now=NOW, start=too_late)
    assert caught.value.code == RefusalCode.OUTSIDE_HOURS


def test_a_day_window_is_23_or_25_hours_of_grid():
    for day, count in ((LONDON_SPRING, 46), (LONDON_AUTUMN, 50)):
        assert len(utc_times("Europe/London", day, "00:00", "23:59")) == count - 1
