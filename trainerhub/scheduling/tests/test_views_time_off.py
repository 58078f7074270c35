"""Time off over booked sessions lists them and asks: keep them or cancel them (it used to
be added without a word, leaving clients booked into the trainer's holiday)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from trainerhub.scheduling import services
from trainerhub.scheduling.models import Booking, TimeOff
from trainerhub.scheduling.tests.factories import local_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(open_alice, carol, pt):
    return services.booking_create(
        trainer=open_alice, client=carol, service=pt, start=local_at(open_alice, 2, "10:00")
    )


def form(trainer, **extra):
    return {
        "start": local_at(trainer, 2, "08:00").strftime("%Y-%m-%dT%H:%M"),
        "end": local_at(trainer, 2, "14:00").strftime("%Y-%m-%dT%H:%M"),
        "reason": "Dentist",
        **extra,
    }


def test_overlapping_bookings_are_listed_before_anything_is_saved(client, open_alice, booked):
    client.force_login(open_alice)
    response = client.post(reverse("scheduling:time_off"), form(open_alice))
    page = response.content.decode()
    assert response.status_code == 409
    assert "1 booked session falls in this time off" in page and "Carol Clark" in page
    assert 'value="cancel"' in page and 'value="keep"' in page
    assert not TimeOff.objects.exists()


def test_keep_them(client, open_alice, booked):
    client.force_login(open_alice)
    response = client.post(reverse("scheduling:time_off"), form(open_alice, overlapping="keep"))
    assert response.status_code == 302
    booked.refresh_from_db()
    assert TimeOff.objects.count() == 1 and booked.status == Booking.Status.CONFIRMED


def test_cancel_them_with_the_reason(client, open_alice, booked):
    client.force_login(open_alice)
    response = client.post(
        reverse("scheduling:time_off"), form(open_alice, overlapping="cancel"), follow=True
    )
    assert "1 booked session cancelled." in response.content.decode()
    booked.refresh_from_db()
    assert TimeOff.objects.count() == 1
    assert (booked.status, booked.cancellation_reason) == (Booking.Status.CANCELLED, "Dentist")


def test_no_question_when_nothing_is_booked(client, open_alice):
    client.force_login(open_alice)
    assert client.post(reverse("scheduling:time_off"), form(open_alice)).status_code == 302
    assert TimeOff.objects.count() == 1
