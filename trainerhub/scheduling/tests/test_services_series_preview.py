"""The recurring booking's preview lists every date with the verdict series_create gives it:
the same slot engine and inputs, nothing written, a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest

from trainerhub.scheduling import services
from trainerhub.scheduling.models import Booking, TimeOff
from trainerhub.scheduling.tests.factories import local_at

pytestmark = pytest.mark.django_db


def plan(alice, carol, pt, **kw):
    values = {"start": local_at(alice, 1, "10:00"), "every_weeks": 1, "count": 4}
    values.update(kw)
    return services.series_preview(trainer=alice, client=carol, service=pt, **values)


def test_the_preview_names_each_collision_as_the_booking_would(open_alice, carol, dave, pt):
    third = local_at(open_alice, 15, "10:00")
    TimeOff.objects.create(trainer=open_alice, start=third, end=third + timedelta(hours=1))
    services.booking_create(
        trainer=open_alice, client=dave, service=pt, start=local_at(open_alice, 22, "10:30")
    )
    occurrences = plan(open_alice, carol, pt)
    assert [o.start for o in occurrences] == [
        local_at(open_alice, d, "10:00") for d in (1, 8, 15, 22)
    ]
    assert [o.code for o in occurrences] == ["", "", "time_off", "slot_taken"]
    assert occurrences[2].detail == "The trainer is away at this time."
    assert Booking.objects.filter(client=carol).count() == 0

    _, bookings, refused = services.series_create(
        trainer=open_alice,
        client=carol,
        service=pt,
        start=local_at(open_alice, 1, "10:00"),
        every_weeks=1,
        count=4,
        all_or_nothing=False,
        source="trainer",
    )
    assert [b.start for b in bookings] == [o.start for o in occurrences if o.free]
    assert [(r["code"], r["detail"]) for r in refused] == [
        (o.code, o.detail) for o in occurrences if not o.free
    ]


def test_the_preview_takes_an_end_date_and_every_n_weeks(open_alice, carol, pt):
    until = local_at(open_alice, 30, "10:00").date()
    occurrences = plan(open_alice, carol, pt, count=None, until=until, every_weeks=2)
    assert [o.start for o in occurrences] == [local_at(open_alice, d, "10:00") for d in (1, 15, 29)]


def test_the_preview_runs_in_a_fixed_number_of_queries(
    open_alice, carol, dave, pt, django_assert_num_queries
):
    # The engine's six inputs (the day limit among them) and the client's seats: one each.
    with django_assert_num_queries(7):
        plan(open_alice, carol, pt, count=2)
    for week in range(6):
        services.booking_create(
            trainer=open_alice,
            client=dave,
            service=pt,
            start=local_at(open_alice, 1 + 7 * week, "12:00"),
        )
    with django_assert_num_queries(7):
        plan(open_alice, carol, pt, count=12)
