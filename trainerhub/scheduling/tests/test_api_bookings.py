from __future__ import annotations

import pytest
import time_machine
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from trainerhub.scheduling.models import Booking, DateOverride, TimeOff
from trainerhub.scheduling.tests.factories import local_at, make_client, make_service

pytestmark = pytest.mark.django_db


def api_as(user) -> APIClient:
    """A client with a token minted now (inside a time_machine block, at the travelled time)."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    return client


def create(api, client, service, start, **extra):
    payload = {"client": client.pk, "service": service.pk, "start": start.isoformat(), **extra}
    return api.post("/api/v1/bookings/", payload, format="json")


def test_create_and_get(alice_api, alice, pt, carol):
    res = create(alice_api, carol, pt, local_at(alice, 2, "10:00"), notes="Knee")
    assert res.status_code == 201, res.json()
    body = res.json()
    assert body["client"] == {"id": carol.pk, "name": "Carol Clark"}
    assert body["service"] == {"id": pt.pk, "name": pt.name, "color": pt.color}
    assert body["status"] == "confirmed" and body["created_by"] == "api"
    assert body["start"].endswith("Z") and body["attendees"] == 1
    assert body["price"] == {
        "base": "50.00",
        "addons": [],
        "discount": None,
        "total": "50.00",
        "currency": "GBP",
        "deposit_due": "0.00",
        "pay_at_session": False,
    }
    assert body["currency"] == "GBP"
    expected_keys = {
        "id",
        "client",
        "service",
        "start",
        "end",
        "status",
        "notes",
        "location",
        "meeting_provider",
        "meeting_url",
        "price",
        "currency",
        "created_by",
        "cancellation_reason",
        "cancelled_by",
        "cancelled_at",
        "late_cancellation",
        "series",
        "session",
        "attendees",
        "payment_status",
        "amount_due",
    }
    assert set(body) == expected_keys
    assert (body["payment_status"], body["amount_due"]) == ("unpaid", "50.00")
    got = alice_api.get(f"/api/v1/bookings/{body['id']}/").json()
    assert got == body


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"start": "2030-01-01T10:00:00"}, "start"),
        ({"start": "tomorrow"}, "start"),
        ({"start": 12}, "start"),
        ({"client": "x"}, "client"),
        ({"client": 987654321}, "client"),
        ({"client": None}, "client"),
        ({"service": 987654321}, "service"),
        ({"notes": "n" * 4001}, "notes"),
        ({"override_rules": "perhaps"}, "override_rules"),
    ],
)
def test_create_bad_input(alice_api, alice, pt, carol, payload, field):
    body = {"client": carol.pk, "service": pt.pk, "start": local_at(alice, 2, "10:00").isoformat()}
    res = alice_api.post("/api/v1/bookings/", {**body, **payload}, format="json")
    assert res.status_code == 400, res.json()
    assert field in res.json()


def test_naive_start_message_says_offset(alice_api, alice, pt, carol):
    res = alice_api.post(
        "/api/v1/bookings/",
        {"client": carol.pk, "service": pt.pk, "start": "2030-01-01T10:00:00"},
        format="json",
    )
    assert "offset" in res.json()["start"][0]


def test_malformed_json_and_missing_fields(alice_api):
    res = alice_api.post("/api/v1/bookings/", "{oops", content_type="application/json")
    assert res.status_code == 400
    res = alice_api.post("/api/v1/bookings/", {}, format="json")
    assert res.status_code == 400 and {"client", "service", "start"} <= set(res.json())


def test_another_trainers_client_and_archived_client(alice_api, alice, bob, pt, carol):
    bobs = make_client(bob, "Bobby")
    res = create(alice_api, bobs, pt, local_at(alice, 2, "10:00"))
    assert res.status_code == 400 and res.json()["client"] == ["Unknown client."]
    carol.status = "archived"
    carol.save()
    res = create(alice_api, carol, pt, local_at(alice, 2, "10:00"))
    assert res.status_code == 400 and "archived" in res.json()["client"][0]


def test_every_409_code(alice_api, alice, open_alice, carol, dave):
    service = make_service(alice, min_notice_minutes=120, max_advance_days=30, max_per_day=1)
    group = make_service(alice, name="Group", capacity=1 + 1)
    tomorrow = local_at(alice, 1, "10:00")
    assert create(alice_api, carol, service, tomorrow).status_code == 201
    TimeOff.objects.create(
        trainer=alice, start=local_at(alice, 5, "09:00"), end=local_at(alice, 5, "13:00")
    )
    cases = {
        "slot_taken": (service, tomorrow, {}),
        "day_full": (service, local_at(alice, 1, "15:00"), {}),
        "outside_hours": (service, local_at(alice, 2, "03:00"), {}),
        "in_past": (service, local_at(alice, -1, "10:00"), {}),
        "too_far": (service, local_at(alice, 40, "10:00"), {}),
        "time_off": (service, local_at(alice, 5, "10:00"), {}),
    }
    with time_machine.travel(local_at(alice, 0, "06:00"), tick=False):
        cases["too_soon"] = (service, local_at(alice, 0, "07:00"), {})
        travelled_api = api_as(alice)
        for code, (svc, start, extra) in cases.items():
            res = create(travelled_api, dave, svc, start, **extra)
            assert res.status_code == 409, (code, res.json())
            assert res.json()["code"] == code, (code, res.json())
            assert res.json()["detail"]
    start = local_at(alice, 3, "12:00")
    for person in (carol, dave):
        assert create(alice_api, person, group, start).status_code == 201
    res = create(alice_api, make_client(alice, "Eve"), group, start)
    assert res.status_code == 409 and res.json()["code"] == "session_full"


def test_override_rules(alice_api, alice, pt, carol):
    DateOverride.objects.create(trainer=alice, date=local_at(alice, 2, "00:00").date(), closed=True)
    start = local_at(alice, 2, "10:00")
    assert create(alice_api, carol, pt, start).json()["code"] == "outside_hours"
    assert create(alice_api, carol, pt, start, override_rules=True).status_code == 201


def test_list_and_filters(alice_api, alice, pt, carol, dave):
    other = make_service(alice, name="Other")
    create(alice_api, carol, pt, local_at(alice, 1, "10:00"))
    create(alice_api, dave, other, local_at(alice, 3, "10:00"))
    third = create(alice_api, carol, pt, local_at(alice, 5, "10:00")).json()
    alice_api.post(f"/api/v1/bookings/{third['id']}/cancel", {"reason": "x"}, format="json")

    def ids(**params):
        res = alice_api.get("/api/v1/bookings/", params)
        assert res.status_code == 200, res.json()
        return [b["client"]["id"] for b in res.json()["results"]]

    assert len(ids()) == 3
    assert ids(client=dave.pk) == [dave.pk]
    assert ids(service=other.pk) == [dave.pk]
    assert len(ids(status="cancelled")) == 1
    assert len(ids(status="confirmed,cancelled")) == 3
    day3 = local_at(alice, 3, "00:00").date().isoformat()
    assert ids(**{"from": day3, "to": day3}) == [dave.pk]
    assert len(ids(**{"from": local_at(alice, 2, "00:00").isoformat()})) == 2
    for bad in (
        {"status": "lost"},
        {"from": "yesterday"},
        {"to": "2030-01-01T10:00"},
        {"client": "x"},
    ):
        assert alice_api.get("/api/v1/bookings/", bad).status_code == 400, bad


def test_patch_notes_and_location(alice_api, alice, pt, carol):
    pk = create(alice_api, carol, pt, local_at(alice, 2, "10:00")).json()["id"]
    res = alice_api.patch(f"/api/v1/bookings/{pk}/", {"notes": "Bring mat", "location": "Gym"})
    assert res.status_code == 200 and res.json()["location"] == "Gym"
    res = alice_api.patch(f"/api/v1/bookings/{pk}/", {"location": "x" * 256})
    assert res.status_code == 400 and "location" in res.json()
    res = alice_api.patch(f"/api/v1/bookings/{pk}/", {"notes": 5}, format="json")
    # A JSON body is held to the documented types: notes are text, not a number.
    assert (res.status_code, res.json()) == (400, {"notes": ["Send text."]})


def test_status_moves_through_the_api(alice_api, alice, open_alice, carol):
    service = make_service(alice, requires_confirmation=True)
    from trainerhub.scheduling.services import booking_create

    booking = booking_create(
        trainer=alice,
        client=carol,
        service=service,
        start=local_at(alice, 2, "10:00"),
        source="client",
    )
    url = f"/api/v1/bookings/{booking.pk}"
    res = alice_api.post(f"{url}/complete")
    assert res.status_code == 409 and res.json()["code"] == "invalid_transition"
    assert "pending" in res.json()["detail"]
    assert alice_api.post(f"{url}/confirm").json()["status"] == "confirmed"
    res = alice_api.post(f"{url}/decline")
    assert res.status_code == 409 and "confirmed" in res.json()["detail"]
    res = alice_api.post(f"{url}/no-show")
    assert res.status_code == 409 and "not started" in res.json()["detail"]
    with time_machine.travel(local_at(alice, 3, "10:00")):
        res = api_as(alice).post(f"{url}/no-show")
    assert res.status_code == 200 and res.json()["status"] == "no_show"
    kinds = [e["kind"] for e in alice_api.get(f"{url}/history").json()]
    assert kinds == ["created", "confirmed", "no_show"]


def test_decline_and_complete(alice_api, alice, open_alice, carol, dave):
    from trainerhub.scheduling.services import booking_create

    service = make_service(alice, requires_confirmation=True)
    pending = booking_create(
        trainer=alice,
        client=carol,
        service=service,
        start=local_at(alice, 2, "10:00"),
        source="client",
    )
    res = alice_api.post(f"/api/v1/bookings/{pending.pk}/decline", {"message": "Away"})
    assert res.json()["status"] == "declined"
    done = booking_create(
        trainer=alice, client=dave, service=service, start=local_at(alice, 1, "10:00")
    )
    with time_machine.travel(local_at(alice, 1, "12:00")):
        assert (
            api_as(alice).post(f"/api/v1/bookings/{done.pk}/complete").json()["status"]
            == "completed"
        )


def test_cancel_and_history(alice_api, alice, pt, carol):
    pk = create(alice_api, carol, pt, local_at(alice, 2, "10:00")).json()["id"]
    res = alice_api.post(f"/api/v1/bookings/{pk}/cancel", {"reason": "Injured"}, format="json")
    body = res.json()
    assert body["status"] == "cancelled" and body["cancellation_reason"] == "Injured"
    assert body["cancelled_by"] == "api" and body["cancelled_at"].endswith("Z")
    res = alice_api.post(f"/api/v1/bookings/{pk}/cancel", {"reason": "r" * 1001}, format="json")
    assert res.status_code == 400
    history = alice_api.get(f"/api/v1/bookings/{pk}/history").json()
    assert [e["kind"] for e in history] == ["created", "cancelled"]
    assert history[1]["data"]["reason"] == "Injured"
    assert history[1]["actor_user"] == {"id": alice.pk, "name": alice.name}
    # The time is free again.
    assert create(alice_api, carol, pt, local_at(alice, 2, "10:00")).status_code == 201


def test_reschedule(alice_api, alice, pt, carol, dave):
    pk = create(alice_api, carol, pt, local_at(alice, 2, "10:00")).json()["id"]
    create(alice_api, dave, pt, local_at(alice, 2, "12:00"))
    url = f"/api/v1/bookings/{pk}/reschedule"
    res = alice_api.post(url, {"start": local_at(alice, 2, "12:00").isoformat()}, format="json")
    assert res.status_code == 409 and res.json()["code"] == "slot_taken"
    res = alice_api.post(url, {"start": "2030-01-01T10:00:00"}, format="json")
    assert res.status_code == 400 and "offset" in res.json()["start"][0]
    new = local_at(alice, 2, "14:00")
    res = alice_api.post(url, {"start": new.isoformat()}, format="json")
    assert res.status_code == 200
    history = alice_api.get(f"/api/v1/bookings/{pk}/history").json()
    assert history[-1]["kind"] == "rescheduled"
    assert history[-1]["data"]["to"] == new.isoformat()


def test_recurring_all_or_nothing_and_keep_the_rest(alice_api, alice, pt, carol):
    DateOverride.objects.create(
        trainer=alice, date=local_at(alice, 15, "00:00").date(), closed=True
    )
    payload = {
        "client": carol.pk,
        "service": pt.pk,
        "start": local_at(alice, 1, "10:00").isoformat(),
        "every_weeks": 1,
        "count": 4,
        "all_or_nothing": True,
    }
    res = alice_api.post("/api/v1/bookings/recurring", payload, format="json")
    assert res.status_code == 409 and res.json()["code"] == "series_refused"
    assert [r["code"] for r in res.json()["refused"]] == ["outside_hours"]
    assert Booking.objects.count() == 0
    res = alice_api.post(
        "/api/v1/bookings/recurring", {**payload, "all_or_nothing": False}, format="json"
    )
    assert res.status_code == 201, res.json()
    body = res.json()
    assert len(body["bookings"]) == 3 and len(body["refused"]) == 1
    assert all(b["series"] == body["series"] for b in body["bookings"])
    for bad in (
        {"count": None},
        {"count": 0},
        {"every_weeks": 13},
        {"until": "soon"},
        {"count": 2, "until": "2030-01-01"},
    ):
        res = alice_api.post("/api/v1/bookings/recurring", {**payload, **bad}, format="json")
        assert res.status_code == 400, bad


def test_unknown_and_huge_ids_are_404(alice_api):
    for url in (
        "/api/v1/bookings/424242/",
        "/api/v1/bookings/99999999999999999999999/",
        "/api/v1/bookings/424242/history",
    ):
        assert alice_api.get(url).status_code == 404
    assert alice_api.post("/api/v1/bookings/424242/cancel").status_code == 404


def test_bob_gets_404_on_every_booking_path(alice_api, bob_api, alice, pt, carol):
    pk = create(alice_api, carol, pt, local_at(alice, 2, "10:00")).json()["id"]
    url = f"/api/v1/bookings/{pk}"
    assert bob_api.get(f"{url}/").status_code == 404
    assert bob_api.patch(f"{url}/", {"notes": "x"}).status_code == 404
    assert bob_api.get(f"{url}/history").status_code == 404
    for action in ("cancel", "reschedule", "confirm", "decline", "complete", "no-show"):
        assert bob_api.post(f"{url}/{action}", {}, format="json").status_code == 404, action
    assert bob_api.get("/api/v1/bookings/").json()["count"] == 0
    assert Booking.objects.get(pk=pk).status == "confirmed"
