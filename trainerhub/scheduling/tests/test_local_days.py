"""LocalDays.bounds: the viewer's dates as one range of instants, only where that is exact.
Compared with the local date of every instant, in zones whose clocks change at midnight too
(Havana, Santiago, Beirut) and by 30 minutes (Lord Howe)."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from trainerhub.scheduling.instants import LocalDays, from_us, to_us

ZONES = [
    "Europe/London",
    "America/Havana",
    "America/Santiago",
    "Asia/Beirut",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "UTC",
]
QUARTER = 15 * 60 * 1_000_000


@settings(max_examples=300, deadline=None)
@given(
    zone_name=st.sampled_from(ZONES),
    first=st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31)),
    span=st.integers(0, 70),
)
def test_bounds_select_exactly_the_instants_on_the_dates(zone_name, first, span):
    zone = ZoneInfo(zone_name)
    last = first + timedelta(days=span)
    low = to_us(
        from_us(0).replace(year=first.year, month=first.month, day=first.day) - timedelta(days=2),
        "low",
    )
    instants = list(range(low, low + (span + 4) * 24 * 4 * QUARTER, QUARTER))
    days = LocalDays(zone, instants[0], instants[-1])
    exact = [i for i in instants if first <= from_us(i).astimezone(zone).date() <= last]
    bounds = days.bounds(first, last)
    if bounds is not None:
        assert [i for i in instants if bounds[0] <= i < bounds[1]] == exact
    assert [i for i in instants if first <= days.of(i) <= last] == exact


def test_a_span_without_clock_changes_has_bounds():
    zone = ZoneInfo("Europe/London")
    low = to_us(from_us(0).replace(year=2026, month=12, day=1), "low")
    days = LocalDays(zone, low, low + 70 * 24 * 4 * QUARTER)
    assert days.bounds(date(2026, 12, 3), date(2027, 1, 31)) is not None
    # Across the spring change (28 March 2027): asked of the zone per instant instead.
    days = LocalDays(zone, low + 90 * 24 * 4 * QUARTER, low + 130 * 24 * 4 * QUARTER)
    assert days.bounds(date(2027, 3, 20), date(2027, 4, 5)) is None
