from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trainerhub.core import events
from trainerhub.core.errors import Conflict, InvalidInput, NotAllowed
from trainerhub.scheduling import selectors, services
from trainerhub.scheduling.models import Booking, BookingEvent, Session
from trainerhub.scheduling.tests.factories import local_at, make_client, make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def emitted():
    seen: list[tuple[str, dict]] = []

    def handler(event, **payload):
        seen.append((event, payload))

    names = [
        "booking.created",
        "booking.confirmed",
        "booking.declined",
        "booking.cancelled",
        "booking.rescheduled",
        "booking.completed",
        "booking.no_show",
        "booking.edited",
    ]
    for name in names:
        events.subscribe(name, handler)
    yield seen
    for name in names:
        events._handlers[name].remove(handler)


def book(trainer, client, service, start, **kw):
    return services.booking_create(
        trainer=trainer, client=client, service=service, start=start, **kw
    )


def test_create_snapshots_price_and_records_history(alice, pt, carol, emitted):
    booking = book(alice, carol, pt, local_at(alice, 2, "10:00"))
    assert booking.status == Booking.Status.CONFIRMED
    assert (str(booking.price), booking.currency) == ("50.00", "GBP")
    assert booking.end - booking.start == timedelta(minutes=60)
    assert booking.manage_token and len(booking.manage_token) >= 40
    assert booking.session.active
    assert list(booking.events.values_list("kind", flat=True)) == ["created"]
    assert emitted[0][0] == "booking.created"
    assert emitted[0][1]["actor"] == "trainer"


def test_client_booking_of_confirmed_service_is_pending(alice, open_alice, carol):
    service = make_service(alice, requires_confirmation=True)
    start = local_at(alice, 2, "10:00")
    assert book(alice, carol, service, start, source="client").status == "pending"
    later = start + timedelta(hours=2)
    assert book(alice, carol, service, later, source="trainer").status == "confirmed"


def test_same_slot_twice_is_slot_taken(alice, pt, carol, dave):
    start = local_at(alice, 2, "10:00")
    book(alice, carol, pt, start)
    with pytest.raises(Conflict) as err:
        book(alice, dave, pt, start)
    assert err.value.code == "slot_taken"
    assert Session.objects.count() == 1


def test_refusals_name_the_rule(alice, pt, carol):
    with pytest.raises(Conflict) as err:
        book(alice, carol, pt, local_at(alice, 2, "03:00"))
    assert err.value.code == "outside_hours"
    with pytest.raises(Conflict) as err:
        book(alice, carol, pt, local_at(alice, -2, "10:00"))
    assert err.value.code == "in_past"


def test_override_rules_lifts_hours_but_not_overlap(alice, pt, carol, dave):
    night = local_at(alice, 2, "03:00")
    booking = book(alice, carol, pt, night, override_rules=True)
    assert booking.start == night
    with pytest.raises(Conflict) as err:
        book(alice, dave, pt, night + timedelta(minutes=30), override_rules=True)
    assert err.value.code == "slot_taken"


def test_client_may_not_override_rules(alice, pt, carol):
    with pytest.raises(InvalidInput):
        book(alice, carol, pt, local_at(alice, 2, "03:00"), source="client", override_rules=True)


def test_another_trainers_client_or_archived_client_refused(alice, bob, pt, carol):
    bobs = make_client(bob, "Bobby")
    with pytest.raises(InvalidInput) as err:
        book(alice, bobs, pt, local_at(alice, 2, "10:00"))
    assert err.value.field == "client"
    carol.status = "archived"
    carol.save()
    with pytest.raises(InvalidInput) as err:
        book(alice, carol, pt, local_at(alice, 2, "10:00"))
    assert "archived" in err.value.detail


def test_naive_start_refused(alice, pt, carol):
    with pytest.raises(InvalidInput) as err:
        book(alice, carol, pt, local_at(alice, 2, "10:00").replace(tzinfo=None))
    assert "offset" in err.value.detail


def test_group_bookings_share_a_session_until_full(alice, group):
    start = local_at(alice, 2, "10:00")
    clients = [make_client(alice, f"C{i}") for i in range(6)]
    made = [book(alice, c, group, start) for c in clients[:5]]
    assert len({b.session_id for b in made}) == 1
    with pytest.raises(Conflict) as err:
        book(alice, clients[5], group, start)
    assert err.value.code == "session_full"
    services.booking_cancel(booking=made[0], actor="trainer")
    assert book(alice, clients[5], group, start).session_id == made[0].session_id


def test_status_moves(alice, open_alice, carol, emitted):
    service = make_service(alice, requires_confirmation=True)
    booking = book(alice, carol, service, local_at(alice, 2, "10:00"), source="client")
    services.booking_confirm(booking=booking, actor="trainer")
    assert booking.status == "confirmed"
    with pytest.raises(NotAllowed) as err:
        services.booking_confirm(booking=booking, actor="trainer")
    assert "confirmed" in err.value.detail and err.value.code == "invalid_transition"
    with pytest.raises(NotAllowed):
        services.booking_decline(booking=booking, actor="trainer")
    with pytest.raises(NotAllowed) as err:
        services.booking_complete(booking=booking, actor="trainer")
    assert "not started" in err.value.detail
    with pytest.raises(InvalidInput):
        services.booking_cancel(booking=booking, actor="client", reason="  ")
    services.booking_cancel(booking=booking, actor="client", reason="Ill", late=True)
    assert (booking.status, booking.cancelled_by, booking.late_cancellation) == (
        "cancelled",
        "client",
        True,
    )
    assert booking.cancelled_at is not None
    assert not Session.objects.get(pk=booking.session_id).active
    with pytest.raises(NotAllowed) as err:
        services.booking_cancel(booking=booking, actor="trainer")
    assert "cancelled" in err.value.detail
    kinds = [e for e, _ in emitted]
    assert kinds == ["booking.created", "booking.confirmed", "booking.cancelled"]


def test_decline_frees_the_time(alice, open_alice, carol, dave):
    service = make_service(alice, requires_confirmation=True)
    start = local_at(alice, 2, "10:00")
    booking = book(alice, carol, service, start, source="client")
    services.booking_decline(booking=booking, actor="trainer", message="Sorry")
    assert booking.status == "declined"
    assert book(alice, dave, service, start).status == "confirmed"


def test_complete_and_no_show_after_start(alice, pt, carol, dave):
    first = book(alice, carol, pt, local_at(alice, 1, "10:00"))
    second = book(alice, dave, pt, local_at(alice, 1, "12:00"))
    with time_machine.travel(local_at(alice, 2, "10:00")):
        services.booking_complete(booking=first, actor="trainer")
        services.booking_mark_no_show(booking=second, actor="trainer")
        with pytest.raises(NotAllowed):
            services.booking_cancel(booking=first, actor="trainer")
    assert (first.status, second.status) == ("completed", "no_show")
    assert Session.objects.get(pk=first.session_id).active  # completed keeps the time held
    assert not Session.objects.get(pk=second.session_id).active


def test_reschedule_moves_and_records_from_to(alice, open_alice, carol, emitted):
    pt = make_service(alice, slot_interval_minutes=30)
    booking = book(alice, carol, pt, local_at(alice, 2, "10:00"))
    old_start, old_session = booking.start, booking.session_id
    new_start = local_at(alice, 2, "10:30")  # overlaps its own old time: allowed
    services.booking_reschedule(booking=booking, start=new_start, actor="trainer")
    assert booking.start == new_start and booking.sequence == 1
    assert not Session.objects.get(pk=old_session).active
    event = booking.events.get(kind="rescheduled")
    assert event.data == {"from": old_start.isoformat(), "to": new_start.isoformat()}
    assert emitted[-1][0] == "booking.rescheduled"
    assert emitted[-1][1]["old_start"] == old_start


def test_refused_reschedule_keeps_the_old_time(alice, pt, carol, dave):
    booking = book(alice, carol, pt, local_at(alice, 2, "10:00"))
    book(alice, dave, pt, local_at(alice, 2, "12:00"))
    with pytest.raises(Conflict) as err:
        services.booking_reschedule(
            booking=booking, start=local_at(alice, 2, "12:00"), actor="trainer"
        )
    assert err.value.code == "slot_taken"
    booking.refresh_from_db()
    assert booking.start == local_at(alice, 2, "10:00")
    assert booking.session.active
    assert not booking.events.filter(kind="rescheduled").exists()


def test_update_records_changes(alice, pt, carol, emitted):
    booking = book(alice, carol, pt, local_at(alice, 2, "10:00"))
    services.booking_update(booking=booking, actor="trainer", notes="Bring shoes", location="Park")
    assert (booking.notes, booking.location) == ("Bring shoes", "Park")
    event = booking.events.get(kind="edited")
    assert event.data["changes"]["notes"] == ["", "Bring shoes"]
    assert emitted[-1][0] == "booking.edited"


def test_loader_query_count_is_constant(alice, pt, group):
    first = local_at(alice, 1, "00:00").date()

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            selectors.slots_for_service(
                trainer=alice, service=pt, first_day=first, last_day=first + timedelta(days=14)
            )
        return len(ctx.captured_queries)

    before = count_queries()
    for day in range(1, 8):
        for hour in ("08:00", "10:00", "12:00"):
            book(alice, make_client(alice, f"X{day}{hour}"), pt, local_at(alice, day, hour))
    # One query per input (weekly hours, overrides, time off, the trainer's own calendars'
    # busy ranges, sessions, the day limit across services): none grows with the bookings.
    assert count_queries() == before == 6


def test_history_ordering(alice, pt, carol):
    booking = book(alice, carol, pt, local_at(alice, 2, "10:00"))
    services.booking_update(booking=booking, actor="trainer", notes="x")
    services.booking_cancel(booking=booking, actor="trainer", reason="Moved away")
    kinds = list(selectors.booking_history(booking=booking).values_list("kind", flat=True))
    assert kinds == ["created", "edited", "cancelled"]
    assert BookingEvent.objects.filter(booking=booking).count() == 3


def test_working_windows_follow_weekly_hours_and_overrides(alice):
    from datetime import time

    from trainerhub.scheduling.models import DateOverride, WeeklyInterval

    monday = local_at(alice, 7, "00:00").date()
    monday -= timedelta(days=monday.weekday())
    WeeklyInterval.objects.create(trainer=alice, weekday=0, start=time(9), end=time(12))
    WeeklyInterval.objects.create(trainer=alice, weekday=1, start=time(9), end=time(12))
    DateOverride.objects.create(
        trainer=alice,
        date=monday + timedelta(days=1),
        intervals=[{"start": "14:00", "end": "15:00"}],
    )
    DateOverride.objects.create(trainer=alice, date=monday + timedelta(days=2), closed=True)
    windows = selectors.working_windows(
        trainer=alice, first_day=monday, last_day=monday + timedelta(days=2)
    )
    tz = local_at(alice, 0, "00:00").tzinfo
    local = [
        (a.astimezone(tz).strftime("%a %H:%M"), b.astimezone(tz).strftime("%H:%M"))
        for a, b in windows
    ]
    assert local == [("Mon 09:00", "12:00"), ("Tue 14:00", "15:00")]


def test_booking_get_for_trainer_is_404_for_others(alice, bob, pt, carol):
    from django.http import Http404

    booking = book(alice, carol, pt, local_at(alice, 2, "10:00"))
    assert selectors.booking_get_for_trainer(trainer=alice, pk=booking.pk) == booking
    with pytest.raises(Http404):
        selectors.booking_get_for_trainer(trainer=bob, pk=booking.pk)
    with pytest.raises(Http404):
        selectors.booking_get_for_trainer(trainer=alice, pk="abc")
