"""Archiving a client with future bookings asks what to do with them (issue 18): keep them
(the default, on the page and the API) or cancel each, telling the client with a message."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from trainerhub.clients import services
from trainerhub.clients.tests.factories import make_booking
from trainerhub.core.tests.factories import local_at
from trainerhub.notifications.models import Kind, Notification
from trainerhub.scheduling.models import Booking


@pytest.fixture
def bookings(alice, anna):
    past = make_booking(anna, timezone.now() - timedelta(days=5), status="completed")
    soon = make_booking(anna, local_at(alice, 2, "10:00"))
    later = make_booking(anna, local_at(alice, 9, "10:00"))
    return past, soon, later


def _statuses(*bookings: Booking) -> list[str]:
    return [Booking.objects.get(pk=b.pk).status for b in bookings]


def test_archive_keeps_future_bookings_by_default(anna, bookings):
    services.client_archive(client=anna)
    assert _statuses(*bookings) == ["completed", "confirmed", "confirmed"]


def test_archive_can_cancel_them_and_tell_the_client(anna, bookings):
    services.client_archive(client=anna, cancel_future=True, message="I am moving away")
    _past, soon, later = bookings
    assert _statuses(*bookings) == ["completed", "cancelled", "cancelled"]
    told = Notification.objects.filter(booking__in=[soon, later], kind=Kind.BOOKING_CANCELLED)
    assert [n.context["reason"] for n in told] == ["I am moving away"] * 2
    anna.refresh_from_db()
    assert anna.status == "archived"


def test_the_page_asks_and_cancels_when_told(alice_web, anna, bookings):
    url = reverse("clients:archive", args=[anna.pk])
    page = alice_web.get(url).content.decode()
    assert "Anna has 2 future bookings. What should happen to them?" in page
    assert 'value="keep" checked' in page
    response = alice_web.post(url, {"future": "cancel", "message": "Moving away"})
    assert response.status_code == 302
    assert _statuses(*bookings) == ["completed", "cancelled", "cancelled"]


def test_the_page_keeps_them_by_default_and_refuses_a_long_message(alice_web, anna, bookings):
    url = reverse("clients:archive", args=[anna.pk])
    refused = alice_web.post(url, {"future": "cancel", "message": "x" * 1001})
    assert refused.status_code == 400
    assert "Keep the reason under 1000 characters." in refused.content.decode()
    assert _statuses(*bookings) == ["completed", "confirmed", "confirmed"]
    assert alice_web.post(url, {}).status_code == 302
    assert _statuses(*bookings) == ["completed", "confirmed", "confirmed"]


def test_the_api_keeps_by_default_and_cancels_with_cancel_future(alice_api, alice, anna, bookings):
    assert alice_api.delete(f"/api/v1/clients/{anna.pk}/").status_code == 204
    assert _statuses(*bookings) == ["completed", "confirmed", "confirmed"]
    response = alice_api.delete(f"/api/v1/clients/{anna.pk}/?cancel_future=true&message=Bye")
    assert response.status_code == 204
    assert _statuses(*bookings) == ["completed", "cancelled", "cancelled"]
    assert {b.cancellation_reason for b in Booking.objects.filter(status="cancelled")} == {"Bye"}


def test_the_api_refuses_a_cancel_future_that_is_not_a_boolean(alice_api, anna, bookings):
    response = alice_api.delete(f"/api/v1/clients/{anna.pk}/?cancel_future=perhaps")
    assert response.status_code == 400
    assert response.json() == {"cancel_future": ["Must be a valid boolean."]}
    anna.refresh_from_db()
    assert anna.status == "active"
