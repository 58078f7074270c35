"""A group session moves as a whole: every attendee's booking in one transaction, each client
told once through the usual reschedule message; or one attendee alone, who opens or joins a
session at the new time. One service function decides for the calendar, the panel and the API."""

from __future__ import annotations

import pytest

from trainerhub.core.errors import Conflict, NotAllowed
from trainerhub.scheduling import services
from trainerhub.scheduling.models import Booking, BookingEvent, Session
from trainerhub.scheduling.tests.factories import local_at, make_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def hiit(open_alice, group):
    start = local_at(open_alice, 2, "18:00")
    people = [make_client(open_alice, name, last_name="Lee") for name in ("Ann", "Ben", "Cy")]
    bookings = [
        services.booking_create(trainer=open_alice, client=p, service=group, start=start)
        for p in people
    ]
    services.booking_cancel(booking=bookings[2], actor="trainer")
    return bookings[0].session, bookings


def rescheduled_events():
    return BookingEvent.objects.filter(kind=BookingEvent.Kind.RESCHEDULED)


def test_the_whole_session_moves_in_one_step(open_alice, hiit):
    session, (ann, ben, cy) = hiit
    later = local_at(open_alice, 3, "09:15")  # off the grid: the trainer moves by hand
    moved = services.session_move(session=session, start=later, actor="trainer")
    assert sorted(b.pk for b in moved) == [ann.pk, ben.pk]
    ann.refresh_from_db(), ben.refresh_from_db(), cy.refresh_from_db()
    assert ann.start == ben.start == later and ann.session_id == ben.session_id
    assert ann.session.capacity == 5 and ann.session.active
    assert cy.start == session.start  # a cancelled place stays where it was
    session.refresh_from_db()
    assert session.active is False
    # Each attendee is rescheduled once (their one "moved" message follows that event).
    assert sorted(rescheduled_events().values_list("booking_id", flat=True)) == [ann.pk, ben.pk]


def test_a_refused_move_moves_nobody(open_alice, hiit, carol, pt):
    session, (ann, ben, _) = hiit
    blocker = local_at(open_alice, 3, "09:00")
    services.booking_create(trainer=open_alice, client=carol, service=pt, start=blocker)
    with pytest.raises(Conflict) as caught:
        services.session_move(session=session, start=blocker, actor="trainer")
    assert caught.value.code == "slot_taken"
    ann.refresh_from_db(), ben.refresh_from_db()
    assert ann.start == ben.start == session.start
    assert Session.objects.get(pk=session.pk).active
    assert not rescheduled_events().exists()


def test_moving_one_attendee_opens_a_session_at_the_new_time(open_alice, hiit):
    session, (ann, ben, _) = hiit
    later = local_at(open_alice, 3, "18:00")
    (moved,) = services.session_move(session=session, start=later, actor="trainer", only=ben)
    assert moved.pk == ben.pk and moved.start == later and moved.session_id != session.pk
    ann.refresh_from_db()
    assert ann.session_id == session.pk and ann.start == session.start


def test_one_attendee_joins_a_session_already_at_the_new_time(open_alice, hiit, group):
    session, (_ann, ben, _) = hiit
    later = local_at(open_alice, 3, "18:00")
    dee = make_client(open_alice, "Dee")
    there = services.booking_create(trainer=open_alice, client=dee, service=group, start=later)
    (moved,) = services.session_move(session=session, start=later, actor="api", only=ben)
    assert moved.session_id == there.session_id


def test_a_whole_session_merges_into_one_at_the_new_time_when_places_suffice(
    open_alice, hiit, group
):
    session, (ann, _ben, _) = hiit
    later = local_at(open_alice, 3, "18:00")
    dee = make_client(open_alice, "Dee")
    there = services.booking_create(trainer=open_alice, client=dee, service=group, start=later)
    services.session_move(session=session, start=later, actor="trainer")
    ann.refresh_from_db()
    assert ann.session_id == there.session_id
    assert Booking.objects.filter(session_id=there.session_id, status="confirmed").count() == 3


def test_a_merge_that_does_not_fit_is_refused(open_alice, hiit, group):
    session, _ = hiit
    later = local_at(open_alice, 3, "18:00")
    for n in range(4):
        client = make_client(open_alice, f"Full{n}")
        services.booking_create(trainer=open_alice, client=client, service=group, start=later)
    with pytest.raises(Conflict) as caught:
        services.session_move(session=session, start=later, actor="trainer")
    assert caught.value.code == "session_full"
    assert "1 free place; 2 are needed" in caught.value.detail


def test_an_attendee_of_another_session_cannot_be_moved_through_this_one(open_alice, hiit, pt):
    session, (_ann, _, _) = hiit
    other = services.booking_create(
        trainer=open_alice,
        client=make_client(open_alice, "Eve"),
        service=pt,
        start=local_at(open_alice, 4, "09:00"),
    )
    with pytest.raises(Exception) as caught:
        services.session_move(
            session=session, start=local_at(open_alice, 4, "12:00"), actor="trainer", only=other
        )
    assert caught.value.errors == {"booking": ["This booking is not in this session."]}


def test_a_client_never_moves_a_whole_session(open_alice, hiit):
    session, _ = hiit
    with pytest.raises(NotAllowed):
        services.session_move(
            session=session, start=local_at(open_alice, 3, "18:00"), actor="client"
        )
