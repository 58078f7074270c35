from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from trainerhub.portal.models import PortalSettings
from trainerhub.portal.tests.conftest import day_at, make_client, make_client_user, payload
from trainerhub.scheduling.models import Booking, BookingEvent

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-client-password-42"


def book(api, service, start, **extra) -> Booking:
    r = api.post("/api/v1/public/alice/bookings", payload(service, start, **extra), format="json")
    assert r.status_code == 201, r.json()
    return Booking.objects.get(pk=r.json()["id"])


def test_manage_get(anon_api, service, free_start):
    booking = book(anon_api, service, free_start)
    r = anon_api.get(f"/api/v1/manage/{booking.manage_token}")
    assert r.status_code == 200
    assert r.json()["id"] == booking.pk and r.json()["cancellation_window_hours"] == 24


@pytest.mark.parametrize("token", ["x", "a" * 43, "a" * 70])
def test_manage_wrong_token_404(anon_api, service, token):
    assert anon_api.get(f"/api/v1/manage/{token}").status_code == 404
    r = anon_api.post(f"/api/v1/manage/{token}/cancel", {"reason": "x"}, format="json")
    assert r.status_code == 404


def test_manage_token_expires_after_the_session(anon_api, service, free_start):
    booking = book(anon_api, service, free_start)
    with time_machine.travel(booking.end + timedelta(minutes=1)):
        assert anon_api.get(f"/api/v1/manage/{booking.manage_token}").status_code == 404


def test_manage_cancel_in_time_is_not_late(anon_api, service):
    booking = book(anon_api, service, day_at(3, 10))
    r = anon_api.post(
        f"/api/v1/manage/{booking.manage_token}/cancel", {"reason": "Ill"}, format="json"
    )
    assert r.status_code == 200, r.json()
    booking.refresh_from_db()
    assert booking.status == "cancelled" and not booking.late_cancellation
    assert booking.cancelled_by == "client" and booking.cancellation_reason == "Ill"
    # Cancelled: the page still answers, showing the state.
    assert anon_api.get(f"/api/v1/manage/{booking.manage_token}").json()["status"] == "cancelled"
    r = anon_api.post(
        f"/api/v1/manage/{booking.manage_token}/cancel", {"reason": "Ill"}, format="json"
    )
    assert r.status_code == 409


def test_manage_cancel_inside_window_is_recorded_late(anon_api, alice, service):
    PortalSettings.objects.update_or_create(
        trainer=alice, defaults={"cancellation_window_hours": 72}
    )
    booking = book(anon_api, service, day_at(2, 10))
    r = anon_api.post(
        f"/api/v1/manage/{booking.manage_token}/cancel", {"reason": "Busy"}, format="json"
    )
    assert r.status_code == 200
    booking.refresh_from_db()
    assert booking.late_cancellation is True
    assert r.json()["late_cancellation"] is True
    event = BookingEvent.objects.get(booking=booking, kind="cancelled")
    assert event.actor == "client"


def test_manage_cancel_needs_a_reason(anon_api, service, free_start):
    booking = book(anon_api, service, free_start)
    for body in ({}, {"reason": ""}, {"reason": "x" * 1001}):
        r = anon_api.post(f"/api/v1/manage/{booking.manage_token}/cancel", body, format="json")
        assert r.status_code == 400 and "reason" in r.json()


def test_manage_reschedule(anon_api, service, free_start):
    booking = book(anon_api, service, free_start)
    new = day_at(3, 14)
    r = anon_api.post(
        f"/api/v1/manage/{booking.manage_token}/reschedule",
        {"start": new.isoformat()},
        format="json",
    )
    assert r.status_code == 200, r.json()
    booking.refresh_from_db()
    assert booking.start == new
    r = anon_api.post(
        f"/api/v1/manage/{booking.manage_token}/reschedule",
        {"start": day_at(3, 23).isoformat()},
        format="json",
    )
    assert r.status_code == 409 and r.json()["code"] == "outside_hours"
    r = anon_api.post(
        f"/api/v1/manage/{booking.manage_token}/reschedule",
        {"start": "2030-01-01T10:00"},
        format="json",
    )
    assert r.status_code == 400 and "start" in r.json()


def login(anon_api, email, password):
    return anon_api.post(
        "/api/v1/client/login", {"email": email, "password": password}, format="json"
    )


def test_client_login_only_for_clients(anon_api, alice, password):
    make_client_user("carol@example.com", PASSWORD)
    r = login(anon_api, "carol@example.com", PASSWORD)
    assert r.status_code == 200 and r.json()["access"]
    assert login(anon_api, "carol@example.com", "wrong").status_code == 401
    assert login(anon_api, alice.email, password).status_code == 401
    assert login(anon_api, "nobody@example.com", PASSWORD).status_code == 401


def test_trainer_token_refused_on_client_api_and_client_on_trainer_api(alice_api, service):
    from conftest import api_client_for

    assert alice_api.get("/api/v1/client/bookings").status_code == 403
    carol = api_client_for(make_client_user("carol@example.com", PASSWORD))
    # Signed in, but not a trainer: forbidden, not "who are you?".
    assert carol.get("/api/v1/services/").status_code == 403
    assert carol.get("/api/v1/client/me").status_code == 200


def test_client_isolation(anon_api, alice, service):
    from conftest import api_client_for

    carol = make_client_user("carol@example.com", PASSWORD)
    dave = make_client_user("dave@example.com", PASSWORD)
    make_client(alice, "carol@example.com", account=carol)
    make_client(alice, "dave@example.com", account=dave)
    mine = book(anon_api, service, day_at(2, 10))
    theirs = book(anon_api, service, day_at(2, 12), email="dave@example.com")
    api = api_client_for(carol)
    r = api.get("/api/v1/client/bookings")
    assert [b["id"] for b in r.json()["results"]] == [mine.pk]
    assert api.get(f"/api/v1/client/bookings/{mine.pk}").status_code == 200
    assert api.get(f"/api/v1/client/bookings/{theirs.pk}").status_code == 404
    assert api.get("/api/v1/client/bookings/999999999").status_code == 404
    r = api.post(f"/api/v1/client/bookings/{theirs.pk}/cancel", {"reason": "x"}, format="json")
    assert r.status_code == 404
    r = api.post(
        f"/api/v1/client/bookings/{theirs.pk}/reschedule",
        {"start": day_at(4, 10).isoformat()},
        format="json",
    )
    assert r.status_code == 404
    r = api.post(f"/api/v1/client/bookings/{mine.pk}/cancel", {"reason": "Ill"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    theirs.refresh_from_db()
    assert theirs.status == "confirmed"


def test_client_reschedule_own(anon_api, alice, service):
    from conftest import api_client_for

    carol = make_client_user("carol@example.com", PASSWORD)
    make_client(alice, "carol@example.com", account=carol)
    mine = book(anon_api, service, day_at(2, 10))
    api = api_client_for(carol)
    new = day_at(5, 9)
    r = api.post(
        f"/api/v1/client/bookings/{mine.pk}/reschedule", {"start": new.isoformat()}, format="json"
    )
    assert r.status_code == 200, r.json()
    assert api.get("/api/v1/client/me").json()["trainers"][0]["slug"] == "alice"
    assert timezone.now() < new


def test_client_bookings_upcoming_leaves_out_ended_sessions(anon_api, alice, service):
    from conftest import api_client_for

    carol = make_client_user("carol@example.com", PASSWORD)
    make_client(alice, "carol@example.com", account=carol)
    soon = book(anon_api, service, day_at(2, 10))
    later = book(anon_api, service, day_at(4, 10))
    with time_machine.travel(soon.end + timedelta(minutes=1)):
        api = api_client_for(carol)
        every = api.get("/api/v1/client/bookings").json()["results"]
        upcoming = api.get("/api/v1/client/bookings", {"upcoming": "true"}).json()["results"]
    assert [b["id"] for b in every] == [soon.pk, later.pk]
    assert [b["id"] for b in upcoming] == [later.pk]
