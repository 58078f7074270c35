"""Property tests through booking_create: the engine's offers and the booking guard agree."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trainerhub.core.errors import Conflict
from trainerhub.scheduling import selectors, services
from trainerhub.scheduling.models import Booking, Session, WeeklyInterval
from trainerhub.scheduling.tests.factories import local_at, make_client, make_service

pytestmark = pytest.mark.django_db

service_shapes = st.fixed_dictionaries(
    {
        "duration_minutes": st.sampled_from([30, 45, 60, 90]),
        "slot_interval_minutes": st.sampled_from([None, 15, 30]),
        "buffer_before_minutes": st.sampled_from([0, 10, 15]),
        "buffer_after_minutes": st.sampled_from([0, 5, 30]),
        "capacity": st.sampled_from([1, 1, 3]),
    }
)
hypothesis_settings = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def offered(trainer, service, day):
    return selectors.slots_for_service(
        trainer=trainer, service=service, first_day=day, last_day=day
    )


def active_ranges(trainer):
    return [
        (s.blocked_start, s.blocked_end)
        for s in Session.objects.filter(trainer=trainer, active=True)
    ]


@pytest.fixture
def world(alice):
    for weekday in range(7):
        WeeklyInterval.objects.create(trainer=alice, weekday=weekday, start="08:00", end="12:00")
        WeeklyInterval.objects.create(trainer=alice, weekday=weekday, start="13:00", end="15:30")
    other = make_service(alice, name="Other", duration_minutes=60, buffer_after_minutes=15)
    return alice, other, make_client(alice, "Pat")


@hypothesis_settings
@given(shape=service_shapes, picks=st.lists(st.integers(min_value=0, max_value=50), max_size=6))
def test_offered_slots_are_accepted_and_disappear(world, shape, picks):
    alice, other, client = world
    Booking.objects.all().delete()
    Session.objects.all().delete()
    service = make_service(alice, name="Prop", **shape)
    day = local_at(alice, 3, "00:00").date()
    # Some unrelated busy time first (another service, its own buffers).
    services.booking_create(
        trainer=alice, client=client, service=other, start=local_at(alice, 3, "11:00")
    )
    for n, pick in enumerate(picks):
        # A client per pick: one client holds at most one seat of a session.
        client = make_client(alice, f"Pat{n}")
        slots = offered(alice, service, day)
        if not slots:
            break
        slot = slots[pick % len(slots)]
        booking = services.booking_create(
            trainer=alice, client=client, service=service, start=slot.start
        )
        after = {s.start: s for s in offered(alice, service, day)}
        if slot.start in after:
            assert after[slot.start].available == slot.available - 1
        else:
            assert slot.available == 1
        # No offered slot's blocked range overlaps an active session other than its own.
        for s in after.values():
            lo = s.start - timedelta(minutes=service.buffer_before_minutes)
            hi = s.end + timedelta(minutes=service.buffer_after_minutes)
            clashes = [
                sess
                for sess in Session.objects.filter(trainer=alice, active=True)
                if sess.blocked_start < hi and lo < sess.blocked_end and sess.pk != s.session_id
            ]
            assert clashes == []
        # Cancelling restores it; booking it again works.
        services.booking_cancel(booking=booking, actor="trainer")
        restored = {s.start: s for s in offered(alice, service, day)}
        assert restored[slot.start].available == slot.available
        services.booking_create(trainer=alice, client=client, service=service, start=slot.start)
    service.bookings.all().delete()
    Session.objects.filter(service=service).delete()
    service.delete()


@hypothesis_settings
@given(shape=service_shapes, minute=st.integers(min_value=0, max_value=24 * 60 - 1))
def test_a_start_is_accepted_exactly_when_offered(world, shape, minute):
    alice, _other, client = world
    service = make_service(alice, name="Prop", **shape)
    day = local_at(alice, 4, "00:00").date()
    offers = {s.start for s in offered(alice, service, day)}
    start = local_at(alice, 4, "00:00") + timedelta(minutes=minute)
    start = start.replace(second=0, microsecond=0)
    try:
        # A client's booking: the grid of offered starts is theirs (a trainer by hand may
        # also start off it, inside the hours).
        booking = services.booking_create(
            trainer=alice, client=client, service=service, start=start, source="client"
        )
    except Conflict:
        assert start not in offers
    else:
        assert start in offers
        booking.delete()
        Session.objects.filter(service=service).delete()
    service.delete()
