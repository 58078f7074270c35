"""The database's local hour, weekday and month (SQLite: a UTC shift per DST period) agree
with Python's zoneinfo for every instant around the transitions, in several zones."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from trainerhub.core.timezones import zone
from trainerhub.insights.localtime import LocalPart, segments
from trainerhub.scheduling.models import Booking

from .factories import make_booking, make_client


def test_segments_find_each_transition_to_the_second():
    lo = datetime(2026, 1, 1, tzinfo=UTC)
    hi = datetime(2027, 1, 1, tzinfo=UTC)
    # Europe/London: BST from 01:00 UTC on 29 Mar to 01:00 UTC on 25 Oct 2026.
    assert segments("Europe/London", lo, hi) == (
        (datetime(2026, 3, 29, 1), 0),
        (datetime(2026, 10, 25, 1), 3600),
        (None, 0),
    )
    assert segments("Asia/Tokyo", lo, hi) == ((None, 9 * 3600),)


# The 2026 transitions (UTC), known independently of the code under test; Kolkata has
# none but a half-hour offset.
CHANGES = {
    "Europe/London": [datetime(2026, 3, 29, 1), datetime(2026, 10, 25, 1)],
    "America/New_York": [datetime(2026, 3, 8, 7), datetime(2026, 11, 1, 6)],
    "Australia/Sydney": [datetime(2026, 4, 4, 16), datetime(2026, 10, 3, 16)],
    "Asia/Kolkata": [datetime(2026, 6, 1, 18, 15)],
}


@pytest.mark.parametrize("tz_name", list(CHANGES))
def test_local_parts_agree_with_zoneinfo_across_dst(alice, tz_name):
    alice.timezone = tz_name
    alice.save(update_fields=["timezone"])
    client = make_client(alice, "Dst")
    tz = zone(tz_name)
    # Every 70 minutes from 4 h 40 before each change to 4 h 40 after it, and the new year.
    instants = [
        change.replace(tzinfo=UTC) + timedelta(minutes=70 * k)
        for change in CHANGES[tz_name]
        for k in range(-4, 5)
    ]
    instants.append(datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
    for start in instants:
        make_booking(client, start)
    lo, hi = datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 2, tzinfo=UTC)
    rows = Booking.objects.filter(trainer=alice).annotate(
        hr=LocalPart("start", "hour", tz_name, lo, hi),
        wd=LocalPart("start", "weekday", tz_name, lo, hi),
        month=LocalPart("start", "month", tz_name, lo, hi),
    )
    got = sorted((b.start, b.hr, b.wd, b.month) for b in rows)
    want = []
    for start in sorted(instants):
        local = start.astimezone(tz)
        want.append((start, local.hour, local.isoweekday(), local.date().replace(day=1)))
    assert got == want


def test_grouping_by_local_parts(alice):
    """Grouped by the expression, as retention does (GROUP BY / DISTINCT on it)."""
    client = make_client(alice, "Grouped")
    make_booking(client, datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
    make_booking(client, datetime(2026, 7, 1, 23, 30, tzinfo=UTC))
    lo, hi = datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 2, tzinfo=UTC)
    got = sorted(
        Booking.objects.filter(trainer=alice)
        .annotate(m=LocalPart("start", "month", "Europe/London", lo, hi))
        .values_list("m", flat=True)
        .distinct()
    )
    # 1 July 23:30 UTC is 2 July 00:30 BST (July); 31 Dec 23:30 UTC is 23:30 GMT (December).
    assert got == [date(2026, 7, 1), date(2026, 12, 1)]
