"""A trainer booking or moving by hand may pick any start inside the hours; the start-time
grid is what clients are offered, and a client off it hears the real rule (not "outside the
working hours")."""

from __future__ import annotations

import pytest
from django.urls import reverse

from trainerhub.core.errors import Conflict
from trainerhub.scheduling import services
from trainerhub.scheduling.models import Booking
from trainerhub.scheduling.tests.factories import local_at

pytestmark = pytest.mark.django_db


def test_the_trainer_books_off_the_grid_inside_the_hours(open_alice, carol, pt):
    # pt: 60 minutes, so clients are offered 07:00, 08:00, ...; 10:15 is inside the hours.
    start = local_at(open_alice, 2, "10:15")
    booking = services.booking_create(trainer=open_alice, client=carol, service=pt, start=start)
    assert booking.start == start


def test_a_client_off_the_grid_hears_the_grid_rule(open_alice, carol, pt):
    with pytest.raises(Conflict) as caught:
        services.booking_create(
            trainer=open_alice,
            client=carol,
            service=pt,
            start=local_at(open_alice, 2, "10:15"),
            source=Booking.Source.CLIENT,
        )
    assert caught.value.code == "off_grid"
    assert caught.value.detail == (
        "Starts are every 60 minutes from 07:00; pick one of the offered times."
    )


def test_outside_the_hours_stays_refused_for_the_trainer(open_alice, carol, pt):
    with pytest.raises(Conflict) as caught:
        services.booking_create(
            trainer=open_alice, client=carol, service=pt, start=local_at(open_alice, 2, "20:30")
        )
    assert caught.value.code == "outside_hours"  # 20:30 + 60 min runs past 21:00


def test_moves_follow_the_same_split(open_alice, carol, pt):
    booking = services.booking_create(
        trainer=open_alice, client=carol, service=pt, start=local_at(open_alice, 2, "09:00")
    )
    moved = services.booking_reschedule(
        booking=booking, start=local_at(open_alice, 2, "11:40"), actor="trainer"
    )
    assert moved.start == local_at(open_alice, 2, "11:40")
    with pytest.raises(Conflict) as caught:
        services.booking_reschedule(
            booking=moved, start=local_at(open_alice, 3, "11:40"), actor="client"
        )
    assert caught.value.code == "off_grid"


def test_the_booking_form_and_the_calendar_drag_take_an_off_grid_time(
    client, open_alice, carol, pt
):
    client.force_login(open_alice)
    start = local_at(open_alice, 2, "10:15")
    response = client.post(
        reverse("scheduling:booking_new"),
        {"client": carol.pk, "service": pt.pk, "start": start.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 302
    booking = Booking.objects.get(client=carol)
    assert booking.start == start
    later = local_at(open_alice, 3, "14:25")
    moved = client.post(
        reverse("scheduling:booking_move", args=[booking.pk]),
        {"start": later.isoformat()},
        content_type="application/json",
    )
    assert moved.status_code == 200
    booking.refresh_from_db()
    assert booking.start == later
