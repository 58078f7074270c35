"""Requests nobody answered expire, sessions nobody marked are completed (issue 18.6): by the
worker, only where the trainer turned it on, once, whatever the number of workers."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from trainerhub.core import periodic
from trainerhub.core.errors import InvalidInput
from trainerhub.core.tests.factories import (
    local_at,
    make_booking,
    make_client,
    make_service,
    open_every_day,
)
from trainerhub.notifications.models import Kind, Notification
from trainerhub.notifications.worker import tick
from trainerhub.scheduling import services
from trainerhub.scheduling.models import Booking, BookingEvent
from trainerhub.scheduling.services.housekeeping import EXPIRED_MESSAGE

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_of(alice):
    open_every_day(alice)
    service = make_service(alice, name="Assessment", requires_confirmation=True)
    start = local_at(alice, 5, "10:00")
    dana = make_client(alice, "Dana", email="dana@example.com")
    return make_booking(dana, start, status="pending", service=service)


def test_a_request_expires_after_the_trainers_hours_and_the_client_is_told(alice, request_of):
    services.scheduling_settings_update(trainer=alice, request_expiry_hours=24)
    made = request_of.created_at
    assert services.expire_requests(now=made + timedelta(hours=23)) == 0
    with time_machine.travel(made + timedelta(hours=24, minutes=1), tick=False):
        assert services.expire_requests() == 1
        assert services.expire_requests() == 0  # once
    request_of.refresh_from_db()
    assert request_of.status == Booking.Status.DECLINED
    event = BookingEvent.objects.get(booking=request_of, kind=BookingEvent.Kind.DECLINED)
    assert (event.actor, event.data["message"]) == ("system", EXPIRED_MESSAGE)
    told = Notification.objects.filter(booking=request_of, kind=Kind.REQUEST_DECLINED)
    assert told.filter(channel="email").count() == 1


def test_without_the_setting_a_request_waits_until_its_start(alice, bob, request_of):
    services.scheduling_settings_update(trainer=bob, request_expiry_hours=1)
    assert services.expire_requests(now=request_of.start - timedelta(minutes=1)) == 0
    with time_machine.travel(request_of.start + timedelta(minutes=1), tick=False):
        assert services.expire_requests() == 1
    request_of.refresh_from_db()
    assert request_of.status == Booking.Status.DECLINED


def test_past_sessions_are_completed_unless_marked_first(alice):
    services.scheduling_settings_update(trainer=alice, auto_complete_hours=12)
    client = make_client(alice, "Sam")
    start = local_at(alice, -2, "09:00")
    done = make_booking(client, start)
    no_show = make_booking(client, start + timedelta(hours=3), status="no_show")
    # Two hours ago whatever the time of day (a fixed local time was over 12 hours ago
    # after noon, and the test failed every afternoon).
    recent = make_booking(
        client, timezone.now().replace(second=0, microsecond=0) - timedelta(hours=2)
    )
    ahead = make_booking(client, local_at(alice, 3, "09:00"))
    assert services.complete_past_sessions() == 1
    assert services.complete_past_sessions() == 0
    states = {b.pk: Booking.objects.get(pk=b.pk).status for b in (done, no_show, recent, ahead)}
    assert states == {
        done.pk: "completed",
        no_show.pk: "no_show",
        recent.pk: "confirmed",
        ahead.pk: "confirmed",
    }
    event = BookingEvent.objects.get(booking=done, kind=BookingEvent.Kind.COMPLETED)
    assert event.actor == "system"


def test_another_trainers_setting_never_touches_alices_sessions(alice, bob):
    services.scheduling_settings_update(trainer=bob, auto_complete_hours=0)
    booking = make_booking(make_client(alice), local_at(alice, -2, "09:00"))
    assert services.complete_past_sessions() == 0
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_the_worker_tick_runs_both(alice, request_of):
    assert {"scheduling.expire_requests", "scheduling.complete_past_sessions"} <= set(
        periodic.names()
    )
    services.scheduling_settings_update(trainer=alice, request_expiry_hours=1)
    for job in ("scheduling.expire_requests", "scheduling.complete_past_sessions"):
        periodic._jobs[job].last_run = None
    later = request_of.created_at + timedelta(hours=2)
    with time_machine.travel(later, tick=False):
        tick(now=later)
    request_of.refresh_from_db()
    assert request_of.status == "declined"


def test_bad_values_are_refused_on_every_surface(alice, alice_api, client):
    with pytest.raises(InvalidInput) as refused:
        services.scheduling_settings_update(trainer=alice, request_expiry_hours=0)
    assert "request_expiry_hours" in refused.value.errors
    response = alice_api.patch(
        "/api/v1/settings/scheduling", {"auto_complete_hours": 1000}, format="json"
    )
    assert response.status_code == 400 and "auto_complete_hours" in response.json()
    client.force_login(alice)
    response = client.post(reverse("scheduling:automation"), {"request_expiry_hours": "0"})
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 1." in response.content.decode()
    assert services.expire_requests() == 0


NO_DAY_LIMIT = {"max_bookings_per_day": None, "max_hours_per_day": None}


def test_page_and_api_save_and_show_the_same_settings(alice, bob_api, alice_api, client):
    assert alice_api.get("/api/v1/settings/scheduling").json() == {
        "request_expiry_hours": None,
        "auto_complete_hours": None,
        **NO_DAY_LIMIT,
    }
    client.force_login(alice)
    response = client.post(
        reverse("scheduling:automation"),
        {"request_expiry_hours": "48", "auto_complete_hours": ""},
        follow=True,
    )
    assert "Saved what happens to requests and past sessions." in response.content.decode()
    assert alice_api.get("/api/v1/settings/scheduling").json() == {
        "request_expiry_hours": 48,
        "auto_complete_hours": None,
        **NO_DAY_LIMIT,
    }
    response = alice_api.patch(
        "/api/v1/settings/scheduling", {"auto_complete_hours": 6}, format="json"
    )
    assert response.json() == {
        "request_expiry_hours": 48,
        "auto_complete_hours": 6,
        **NO_DAY_LIMIT,
    }
    assert bob_api.get("/api/v1/settings/scheduling").json()["request_expiry_hours"] is None
