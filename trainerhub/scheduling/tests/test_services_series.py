from __future__ import annotations

from datetime import timedelta

import pytest

from trainerhub.core.errors import InvalidInput
from trainerhub.scheduling import services
from trainerhub.scheduling.models import Booking, BookingSeries, DateOverride
from trainerhub.scheduling.services.series import occurrence_starts
from trainerhub.scheduling.tests.factories import local_at

pytestmark = pytest.mark.django_db


def make_series(alice, carol, pt, **kw):
    values = {"start": local_at(alice, 1, "10:00"), "every_weeks": 1, "count": 4}
    values.update(kw)
    return services.series_create(
        trainer=alice, client=carol, service=pt, source="trainer", **values
    )


def close_third_week(alice):
    day = (local_at(alice, 1, "10:00") + timedelta(weeks=2)).date()
    DateOverride.objects.create(trainer=alice, date=day, closed=True)


def test_weekly_series_books_each_occurrence(alice, pt, carol):
    series, bookings, refused = make_series(alice, carol, pt, all_or_nothing=True)
    assert series is not None and refused == []
    assert [b.start for b in bookings] == [local_at(alice, 1 + 7 * k, "10:00") for k in range(4)]
    assert all(b.series_id == series.pk for b in bookings)


def test_all_or_nothing_books_nothing_when_one_is_refused(alice, pt, carol):
    close_third_week(alice)
    series, bookings, refused = make_series(alice, carol, pt, all_or_nothing=True)
    assert (series, bookings) == (None, [])
    assert [r["code"] for r in refused] == ["outside_hours"]
    assert Booking.objects.count() == 0 and BookingSeries.objects.count() == 0


def test_keep_the_rest(alice, pt, carol):
    close_third_week(alice)
    _series, bookings, refused = make_series(alice, carol, pt, all_or_nothing=False)
    assert len(bookings) == 3 and len(refused) == 1
    assert refused[0]["start"] == local_at(alice, 15, "10:00").isoformat()


def test_until_and_every_two_weeks(alice, pt, carol):
    until = local_at(alice, 30, "10:00").date()
    _, bookings, _ = make_series(
        alice, carol, pt, count=None, until=until, every_weeks=2, all_or_nothing=True
    )
    assert [b.start for b in bookings] == [local_at(alice, d, "10:00") for d in (1, 15, 29)]


def test_needs_count_or_until(alice, pt, carol):
    with pytest.raises(InvalidInput):
        make_series(alice, carol, pt, count=None, all_or_nothing=True)


def test_cancel_following(alice, pt, carol):
    _, bookings, _ = make_series(alice, carol, pt, all_or_nothing=True)
    cancelled = services.series_cancel_following(booking=bookings[1], actor="trainer")
    assert [b.pk for b in cancelled] == [b.pk for b in bookings[1:]]
    statuses = list(Booking.objects.order_by("start").values_list("status", flat=True))
    assert statuses == ["confirmed", "cancelled", "cancelled", "cancelled"]


def test_occurrences_keep_wall_clock_across_dst():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    london = ZoneInfo("Europe/London")
    start = datetime(2025, 3, 29, 9, 0, tzinfo=london)  # the day before clocks go forward
    starts = occurrence_starts(
        start=start, tz_name="Europe/London", every_weeks=1, count=2, until=None
    )
    assert [s.astimezone(london).hour for s in starts] == [9, 9]
    utc = ZoneInfo("UTC")
    assert starts[1].astimezone(utc) - starts[0].astimezone(utc) == timedelta(days=7, hours=-1)
