from __future__ import annotations

from datetime import timedelta

import pytest

from trainerhub.clients.models import Client, IntakeField
from trainerhub.portal.models import PortalSettings
from trainerhub.portal.tests.conftest import day_at, make_service, payload
from trainerhub.scheduling.models import Booking, BookingEvent

pytestmark = pytest.mark.django_db


def url(slug: str, what: str) -> str:
    return f"/api/v1/public/{slug}/{what}"


def test_services_lists_only_bookable_online(anon_api, alice, service):
    make_service(alice, name="Hidden", bookable_online=False)
    make_service(alice, name="Old", is_active=False)
    r = anon_api.get(url("alice", "services"))
    assert r.status_code == 200
    assert [s["name"] for s in r.json()] == ["Personal training"]
    assert r.json()[0]["duration_minutes"] == 60


def test_unknown_slug_and_disabled_portal_are_404(anon_api, alice, service):
    assert anon_api.get(url("nobody", "services")).status_code == 404
    PortalSettings.objects.update_or_create(trainer=alice, defaults={"enabled": False})
    assert anon_api.get(url("alice", "services")).status_code == 404
    r = anon_api.post(url("alice", "bookings"), payload(service, day_at(2, 10)), format="json")
    assert r.status_code == 404


def test_client_role_user_has_no_public_page(anon_api, alice):
    alice.role = "client"
    alice.save()
    assert anon_api.get(url("alice", "services")).status_code == 404


def test_slots_in_visitor_timezone(anon_api, alice, service):
    day = day_at(2, 10).date()
    r = anon_api.get(
        url("alice", "slots"),
        {"service": service.pk, "from": day, "to": day, "tz": "America/New_York"},
    )
    assert r.status_code == 200
    body = r.json()
    assert body["service"] == service.pk and body["timezone"] == "America/New_York"
    assert body["slots"], body
    assert all(s["start"].endswith(("-05:00", "-04:00")) for s in body["slots"])
    assert all(s["available"] == 1 for s in body["slots"])


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"tz": "Mars/Olympus"}, "tz"),
        ({"from": "2030-01-10", "to": "2030-01-01"}, "to"),
        ({"from": "2030-01-01", "to": "2030-06-01"}, "to"),
        ({"from": "yesterday"}, "from"),
    ],
)
def test_slots_refuses_bad_queries(anon_api, service, params, field):
    r = anon_api.get(url("alice", "slots"), {"service": service.pk, **params})
    assert r.status_code == 400
    assert field in r.json()


def test_slots_missing_or_foreign_service(anon_api, alice, bob, service):
    assert anon_api.get(url("alice", "slots")).status_code == 400
    bobs = make_service(bob, name="Bob's")
    assert anon_api.get(url("alice", "slots"), {"service": bobs.pk}).status_code == 404
    hidden = make_service(alice, name="Hidden", bookable_online=False)
    assert anon_api.get(url("alice", "slots"), {"service": hidden.pk}).status_code == 404


def test_booking_created_with_manage_token(anon_api, alice, service, free_start):
    r = anon_api.post(url("alice", "bookings"), payload(service, free_start), format="json")
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["status"] == "confirmed"
    assert len(body["manage_token"]) >= 40
    assert body["manage_url"].endswith(f"/manage/{body['manage_token']}/")
    booking = Booking.objects.get(pk=body["id"])
    assert booking.created_by == "client" and booking.trainer == alice
    assert booking.client.email == "carol@example.com"
    assert BookingEvent.objects.filter(booking=booking, kind="created", actor="client").exists()


def test_requires_confirmation_gives_pending(anon_api, alice, hours):
    svc = make_service(alice, requires_confirmation=True)
    r = anon_api.post(url("alice", "bookings"), payload(svc, day_at(2, 10)), format="json")
    assert r.status_code == 201 and r.json()["status"] == "pending"


def test_returning_client_is_matched_not_duplicated(anon_api, alice, service):
    Client.objects.create(trainer=alice, first_name="Carol", email="Carol@Example.com")
    for hour in (10, 12):
        r = anon_api.post(
            url("alice", "bookings"),
            payload(service, day_at(2, hour), email="CAROL@example.COM"),
            format="json",
        )
        assert r.status_code == 201, r.json()
    assert Client.objects.filter(trainer=alice).count() == 1


@pytest.mark.parametrize(
    ("start", "code"),
    [
        (lambda: day_at(0, 0) - timedelta(days=1), "in_past"),
        (lambda: day_at(2, 23), "outside_hours"),
        (lambda: day_at(90, 10), "too_far"),
    ],
)
def test_slot_rules_refuse(anon_api, service, start, code):
    r = anon_api.post(url("alice", "bookings"), payload(service, start()), format="json")
    assert r.status_code == 409, r.json()
    assert r.json()["code"] == code
    assert not Booking.objects.exists()
    assert not Client.objects.exists(), "nothing half-saved"


def test_too_soon(anon_api, alice, hours):
    svc = make_service(alice, min_notice_minutes=60 * 24 * 5)
    r = anon_api.post(url("alice", "bookings"), payload(svc, day_at(2, 10)), format="json")
    assert r.status_code == 409 and r.json()["code"] == "too_soon"


def test_taken_slot_is_409(anon_api, service, free_start):
    assert (
        anon_api.post(
            url("alice", "bookings"), payload(service, free_start), format="json"
        ).status_code
        == 201
    )
    r = anon_api.post(
        url("alice", "bookings"),
        payload(service, free_start, email="dave@example.com"),
        format="json",
    )
    assert r.status_code == 409 and r.json()["code"] == "slot_taken"


def test_group_session_seats(anon_api, alice, hours):
    svc = make_service(alice, capacity=2)
    start = day_at(2, 10)
    for n in range(2):
        r = anon_api.post(
            url("alice", "bookings"), payload(svc, start, email=f"g{n}@example.com"), format="json"
        )
        assert r.status_code == 201
    r = anon_api.post(
        url("alice", "bookings"), payload(svc, start, email="g3@example.com"), format="json"
    )
    assert r.status_code == 409


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"first_name": ""}, "first_name"),
        ({"first_name": "x" * 101}, "first_name"),
        ({"note": "x" * 2001}, "note"),
        ({"phone": "call me"}, "phone"),
        ({"start": "2030-01-01T10:00:00"}, "start"),
        ({"start": "soon"}, "start"),
        ({"service": "abc"}, "service"),
        ({"fields": "nope"}, "fields"),
    ],
)
def test_bad_fields_are_400(anon_api, service, free_start, change, field):
    r = anon_api.post(
        url("alice", "bookings"), {**payload(service, free_start), **change}, format="json"
    )
    assert r.status_code == 400
    assert field in r.json()


def test_missing_fields_and_malformed_json(anon_api, service):
    r = anon_api.post(url("alice", "bookings"), {}, format="json")
    assert r.status_code == 400
    assert {"service", "start", "first_name", "last_name", "email"} <= set(r.json())
    r = anon_api.post(url("alice", "bookings"), "{not json", content_type="application/json")
    assert r.status_code == 400
    r = anon_api.post(url("alice", "bookings"), "[1, 2]", content_type="application/json")
    assert r.status_code == 400


def test_intake_fields_on_booking_form(anon_api, alice, service, free_start):
    IntakeField.objects.create(
        trainer=alice, key="goal", label="Your goal", on_booking_form=True, required=True
    )
    IntakeField.objects.create(trainer=alice, key="secret", label="Trainer only")
    r = anon_api.post(url("alice", "bookings"), payload(service, free_start), format="json")
    assert r.status_code == 400 and "fields" in r.json()
    r = anon_api.post(
        url("alice", "bookings"),
        payload(service, free_start, fields={"goal": "Run 10k", "secret": "x"}),
        format="json",
    )
    assert r.status_code == 400 and "fields" in r.json()
    r = anon_api.post(
        url("alice", "bookings"),
        payload(service, free_start, fields={"goal": "Run 10k"}),
        format="json",
    )
    assert r.status_code == 201, r.json()
    assert Client.objects.get(trainer=alice).custom_fields == {"goal": "Run 10k"}


def test_foreign_service_id_is_404(anon_api, alice, bob, service, free_start):
    bobs = make_service(bob, name="Bob's")
    r = anon_api.post(url("alice", "bookings"), payload(bobs, free_start), format="json")
    assert r.status_code == 404


def test_rate_limit_per_address(anon_api, settings, service):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "public": "3/min",
        },
    }
    codes = [anon_api.get(url("alice", "services")).status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]


def test_rate_limit_per_trainer(settings, service):
    from rest_framework.test import APIClient

    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "public_trainer": "4/min",
        },
    }
    codes = [
        APIClient(REMOTE_ADDR=f"10.0.0.{n}").get(url("alice", "services")).status_code
        for n in range(6)
    ]
    assert codes == [200, 200, 200, 200, 429, 429]


def test_public_endpoints_ignore_tokens_and_leak_nothing(anon_api, alice, service, free_start):
    Client.objects.create(trainer=alice, first_name="Known", email="known@example.com")
    r1 = anon_api.post(
        url("alice", "bookings"),
        payload(service, free_start, email="known@example.com"),
        format="json",
    )
    r2 = anon_api.post(
        url("alice", "bookings"),
        payload(service, day_at(2, 12), email="new@example.com"),
        format="json",
    )
    assert r1.status_code == r2.status_code == 201
    assert set(r1.json()) == set(r2.json())
    assert "client" not in r1.json()
