"""One seat per client in a group session (issue 18): a double submit, a second tab or two
requests racing give one booking; the other is a 409 `already_booked` on the API and a
message on the page. The database refuses a second active booking even past the service."""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connections, transaction
from django.urls import reverse

from trainerhub.core.errors import Conflict
from trainerhub.scheduling import services
from trainerhub.scheduling.models import Booking
from trainerhub.scheduling.services.bookings import (
    ALREADY_BOOKED,
    ALREADY_BOOKED_DETAIL,
    ALREADY_BOOKED_YOU,
)
from trainerhub.scheduling.tests.factories import local_at


def _book(alice, client, service, start, **extra):
    return services.booking_create(
        trainer=alice, client=client, service=service, start=start, **extra
    )


def test_the_constraint_counts_exactly_the_active_statuses():
    (constraint,) = [
        c
        for c in Booking._meta.constraints
        if c.name == "one_active_booking_per_client_per_session"
    ]
    # A payment hold keeps the client's seat too (HELD_STATUSES), so a second seat waits.
    assert constraint.condition.children == [("status__in", list(Booking.HELD_STATUSES))]


def test_a_second_seat_for_the_same_client_is_refused(alice, group, carol, dave):
    start = local_at(alice, 2, "10:00")
    first = _book(alice, carol, group, start)
    with pytest.raises(Conflict) as refused:
        _book(alice, carol, group, start)
    assert (refused.value.code, refused.value.detail) == (ALREADY_BOOKED, ALREADY_BOOKED_DETAIL)
    other = _book(alice, dave, group, start)  # another client still gets a seat
    assert other.session_id == first.session_id
    assert Booking.objects.filter(session=first.session, client=carol).count() == 1


def test_a_client_booking_twice_is_told_in_their_own_words(alice, group, carol):
    start = local_at(alice, 2, "10:00")
    _book(alice, carol, group, start, source=Booking.Source.CLIENT)
    with pytest.raises(Conflict) as refused:
        _book(alice, carol, group, start, source=Booking.Source.CLIENT)
    assert (refused.value.code, refused.value.detail) == (ALREADY_BOOKED, ALREADY_BOOKED_YOU)


def test_after_a_cancellation_the_client_may_book_the_session_again(alice, group, carol):
    start = local_at(alice, 2, "10:00")
    first = _book(alice, carol, group, start)
    services.booking_cancel(booking=first, actor="trainer")
    again = _book(alice, carol, group, start)
    assert again.status == Booking.Status.CONFIRMED and again.start == first.start


def test_moving_into_a_session_the_client_already_sits_in_is_refused(alice, group, carol):
    ten, eleven = local_at(alice, 2, "10:00"), local_at(alice, 2, "11:00")
    _book(alice, carol, group, ten)
    later = _book(alice, carol, group, eleven)
    with pytest.raises(Conflict) as refused:
        services.booking_reschedule(booking=later, start=ten, actor="trainer")
    assert refused.value.code == ALREADY_BOOKED
    later.refresh_from_db()
    assert later.start == eleven


def test_the_database_refuses_a_second_active_booking(alice, group, carol):
    first = _book(alice, carol, group, local_at(alice, 2, "10:00"))
    fields = {
        f.name: getattr(first, f.name)
        for f in Booking._meta.concrete_fields
        if f.name not in ("id", "manage_token")
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(**fields)
    Booking.objects.create(**{**fields, "status": Booking.Status.CANCELLED})


def test_double_submit_on_the_api_is_one_201_and_one_409(alice_api, alice, group, carol):
    payload = {
        "client": carol.pk,
        "service": group.pk,
        "start": local_at(alice, 2, "10:00").isoformat(),
    }
    first = alice_api.post("/api/v1/bookings/", payload, format="json")
    second = alice_api.post("/api/v1/bookings/", payload, format="json")
    assert first.status_code == 201
    assert second.status_code == 409
    assert second.json() == {"code": ALREADY_BOOKED, "detail": ALREADY_BOOKED_DETAIL}


def test_double_submit_on_the_page_shows_the_message(client, alice, group, carol):
    client.force_login(alice)
    start = local_at(alice, 2, "10:00")
    form = {
        "client": carol.pk,
        "service": group.pk,
        "start": start.replace(tzinfo=None).strftime("%Y-%m-%dT%H:%M"),
        "notes": "",
    }
    assert client.post(reverse("scheduling:booking_new"), form).status_code == 302
    again = client.post(reverse("scheduling:booking_new"), form)
    assert again.status_code == 400
    assert ALREADY_BOOKED_DETAIL in again.content.decode()
    assert Booking.objects.filter(client=carol).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_racing_requests_for_one_client_take_one_seat(alice, group, carol):
    start = local_at(alice, 2, "10:00")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt() -> None:
        try:
            barrier.wait()
            _book(alice, carol, group, start)
            result = "booked"
        except Conflict as exc:
            result = exc.code
        except Exception as exc:  # anything else is the bug this test is for
            result = repr(exc)
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == [ALREADY_BOOKED, "booked"]
    assert Booking.objects.filter(client=carol, status="confirmed").count() == 1


def test_when_two_requests_pass_the_check_the_constraint_answers_409(
    alice_api, alice, group, carol, monkeypatch
):
    """As if both requests had read "no seat yet" at once: the insert itself is refused and
    the caller still gets the domain's answer, not a 500."""
    from trainerhub.scheduling.services import bookings

    payload = {
        "client": carol.pk,
        "service": group.pk,
        "start": local_at(alice, 2, "10:00").isoformat(),
    }
    assert alice_api.post("/api/v1/bookings/", payload, format="json").status_code == 201
    monkeypatch.setattr(bookings, "_check_one_seat", lambda *a, **k: None)
    second = alice_api.post("/api/v1/bookings/", payload, format="json")
    assert (second.status_code, second.json()["code"]) == (409, ALREADY_BOOKED)
    assert Booking.objects.filter(client=carol).count() == 1
