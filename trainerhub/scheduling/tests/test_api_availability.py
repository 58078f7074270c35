"""API of services, weekly hours, date overrides and time off (incl. bad input, tenancy)."""

from __future__ import annotations

import pytest

from trainerhub.scheduling.models import DateOverride, Service, TimeOff, WeeklyInterval
from trainerhub.scheduling.tests.factories import make_service

pytestmark = pytest.mark.django_db

SERVICE = {"name": "Personal training", "duration_minutes": 60, "price": "45.00", "currency": "GBP"}


def test_service_crud(alice_api, alice):
    res = alice_api.post("/api/v1/services/", SERVICE, format="json")
    assert res.status_code == 201, res.json()
    body = res.json()
    assert body["duration_minutes"] == 60 and body["capacity"] == 1 and body["is_active"]
    pk = body["id"]
    assert alice_api.get("/api/v1/services/").json()["count"] == 1
    res = alice_api.patch(f"/api/v1/services/{pk}/", {"capacity": 8, "color": "#ff0000"})
    assert res.status_code == 200 and res.json()["capacity"] == 8
    assert alice_api.delete(f"/api/v1/services/{pk}/").status_code == 204
    service = Service.objects.get(pk=pk)
    assert not service.is_active  # deactivated, history kept


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"duration_minutes": 2}, "duration_minutes"),
        ({"duration_minutes": 481}, "duration_minutes"),
        ({"duration_minutes": "sixty"}, "duration_minutes"),
        ({"buffer_before_minutes": 241}, "buffer_before_minutes"),
        ({"price": "-1"}, "price"),
        ({"price": "abc"}, "price"),
        ({"color": "red"}, "color"),
        ({"name": "x" * 121}, "name"),
        ({"capacity": 0}, "capacity"),
        ({"currency": "XYZ"}, "currency"),
        ({"name": ""}, "name"),
    ],
)
def test_service_bad_input(alice_api, patch, field):
    res = alice_api.post("/api/v1/services/", {**SERVICE, **patch}, format="json")
    assert res.status_code == 400
    assert field in res.json()


def test_service_missing_fields_and_malformed_json(alice_api):
    res = alice_api.post("/api/v1/services/", {}, format="json")
    assert res.status_code == 400 and {"name", "duration_minutes"} <= set(res.json())
    res = alice_api.post("/api/v1/services/", "{not json", content_type="application/json")
    assert res.status_code == 400
    res = alice_api.post("/api/v1/services/", "[1, 2]", content_type="application/json")
    assert res.status_code == 400


def test_weekly_crud_and_validation(alice_api, alice):
    service = make_service(alice)
    res = alice_api.post(
        "/api/v1/availability/weekly/",
        {"weekday": 0, "start": "07:00", "end": "12:00", "service": service.pk},
        format="json",
    )
    assert res.status_code == 201, res.json()
    assert res.json() == {
        "id": res.json()["id"],
        "weekday": 0,
        "start": "07:00",
        "end": "12:00",
        "service": service.pk,
    }
    pk = res.json()["id"]
    res = alice_api.patch(f"/api/v1/availability/weekly/{pk}/", {"end": "13:30", "service": None})
    assert res.status_code == 200 and res.json()["end"] == "13:30"
    assert res.json()["service"] is None
    for bad, field in [
        ({"weekday": 7, "start": "07:00", "end": "08:00"}, "weekday"),
        ({"weekday": 1, "start": "9am", "end": "10:00"}, "start"),
        ({"weekday": 1, "start": "10:00", "end": "09:00"}, "end"),
        ({"weekday": 1, "start": "10:00", "end": "11:00", "service": 999999}, "service"),
        ({"weekday": 1, "start": "10:00", "end": "11:00", "service": "x"}, "service"),
    ]:
        res = alice_api.post("/api/v1/availability/weekly/", bad, format="json")
        assert res.status_code == 400, bad
        assert field in res.json()
    assert alice_api.delete(f"/api/v1/availability/weekly/{pk}/").status_code == 204
    assert not WeeklyInterval.objects.exists()


def test_weekly_service_of_another_trainer_is_unknown(alice_api, bob):
    bobs = make_service(bob)
    res = alice_api.post(
        "/api/v1/availability/weekly/",
        {"weekday": 1, "start": "10:00", "end": "11:00", "service": bobs.pk},
        format="json",
    )
    assert res.status_code == 400 and res.json()["service"] == ["Unknown service."]


def test_override_crud(alice_api):
    res = alice_api.post(
        "/api/v1/availability/overrides/",
        {"date": "2030-12-24", "intervals": [{"start": "09:00", "end": "12:00"}]},
        format="json",
    )
    assert res.status_code == 201, res.json()
    body = res.json()
    assert body["closed"] is False and body["intervals"] == [{"start": "09:00", "end": "12:00"}]
    pk = body["id"]
    res = alice_api.patch(f"/api/v1/availability/overrides/{pk}/", {"closed": True})
    assert res.status_code == 200 and res.json()["intervals"] == []
    res = alice_api.post(
        "/api/v1/availability/overrides/", {"date": "2030-12-24", "closed": True}, format="json"
    )
    assert res.status_code == 400 and "date" in res.json()
    for bad, field in [
        ({"date": "24/12/2030", "closed": True}, "date"),
        ({"date": "2030-12-25"}, "intervals"),
        ({"date": "2030-12-25", "intervals": [{"start": "12:00", "end": "09:00"}]}, "intervals"),
        ({"date": "2030-12-25", "intervals": "9-12"}, "intervals"),
        ({"date": "2030-12-25", "closed": "maybe"}, "closed"),
    ]:
        res = alice_api.post("/api/v1/availability/overrides/", bad, format="json")
        assert res.status_code == 400, (bad, res.json())
        assert field in res.json()
    assert alice_api.delete(f"/api/v1/availability/overrides/{pk}/").status_code == 204
    assert not DateOverride.objects.exists()


def test_time_off_crud(alice_api):
    res = alice_api.post(
        "/api/v1/availability/time-off/",
        {
            "start": "2030-08-01T00:00:00+01:00",
            "end": "2030-08-15T00:00:00+01:00",
            "reason": "Trip",
        },
        format="json",
    )
    assert res.status_code == 201, res.json()
    assert res.json()["start"] == "2030-07-31T23:00:00Z"
    pk = res.json()["id"]
    res = alice_api.patch(f"/api/v1/availability/time-off/{pk}/", {"reason": "Holiday"})
    assert res.status_code == 200 and res.json()["reason"] == "Holiday"
    for bad, field in [
        ({"start": "2030-08-01T00:00:00", "end": "2030-08-02T00:00:00Z"}, "start"),
        ({"start": "2030-08-03T00:00:00Z", "end": "2030-08-02T00:00:00Z"}, "end"),
        ({"start": "soon", "end": "2030-08-02T00:00:00Z"}, "start"),
        ({"start": 5, "end": "2030-08-02T00:00:00Z"}, "start"),
        ({"start": "2030-08-01T00:00Z", "end": "2030-08-02T00:00Z", "reason": "r" * 201}, "reason"),
    ]:
        res = alice_api.post("/api/v1/availability/time-off/", bad, format="json")
        assert res.status_code == 400, (bad, res.json())
        assert field in res.json()
    assert (
        "offset"
        in alice_api.post(
            "/api/v1/availability/time-off/",
            {"start": "2030-08-01T00:00:00", "end": "2030-08-02T00:00:00Z"},
            format="json",
        ).json()["start"][0]
    )
    assert alice_api.delete(f"/api/v1/availability/time-off/{pk}/").status_code == 204
    assert not TimeOff.objects.exists()


def test_anonymous_is_refused(anon_api):
    assert anon_api.get("/api/v1/services/").status_code == 401


@pytest.fixture
def alices_things(alice):
    service = make_service(alice)
    return {
        "services": service.pk,
        "availability/weekly": WeeklyInterval.objects.create(
            trainer=alice, weekday=0, start="09:00", end="10:00"
        ).pk,
        "availability/overrides": DateOverride.objects.create(
            trainer=alice, date="2030-01-01", closed=True
        ).pk,
        "availability/time-off": TimeOff.objects.create(
            trainer=alice, start="2030-01-01T00:00Z", end="2030-01-02T00:00Z"
        ).pk,
    }


@pytest.mark.parametrize(
    "kind", ["services", "availability/weekly", "availability/overrides", "availability/time-off"]
)
def test_bob_gets_404_for_alices_rows(bob_api, alices_things, kind):
    url = f"/api/v1/{kind}/{alices_things[kind]}/"
    assert bob_api.get(url).status_code == 404
    assert bob_api.patch(url, {}, format="json").status_code == 404
    assert bob_api.delete(url).status_code == 404
    assert bob_api.get(f"/api/v1/{kind}/").json()["count"] == 0
    assert bob_api.get(f"/api/v1/{kind}/99999999999999999999/").status_code == 404


def test_time_off_answers_the_bookings_it_falls_on_and_can_cancel_them(alice_api, alice):
    """Issue 18.21: the API warns as the settings page does, and cancels on request."""
    from datetime import timedelta

    from trainerhub.core.tests.factories import local_at, make_booking, make_client

    start = local_at(alice, 10, "10:00")
    booking = make_booking(make_client(alice, "Dana"), start)
    window = {
        "start": (start - timedelta(hours=1)).isoformat(),
        "end": (start + timedelta(hours=3)).isoformat(),
        "reason": "Dentist",
    }
    res = alice_api.post("/api/v1/availability/time-off/", window, format="json")
    assert res.status_code == 201, res.json()
    [overlap] = res.json()["overlapping_bookings"]
    assert (overlap["id"], overlap["client"], overlap["status"]) == (
        booking.pk,
        booking.client.full_name,
        "confirmed",
    )
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    # Moving the time off away answers no overlap; cancelling on create cancels in one go.
    pk = res.json()["id"]
    later = {"end": (start - timedelta(minutes=30)).isoformat()}
    res = alice_api.patch(f"/api/v1/availability/time-off/{pk}/", later, format="json")
    assert res.status_code == 200 and res.json()["overlapping_bookings"] == []
    res = alice_api.post(
        "/api/v1/availability/time-off/", {**window, "cancel_overlapping": True}, format="json"
    )
    assert res.status_code == 201 and res.json()["overlapping_bookings"] == []
    booking.refresh_from_db()
    assert booking.status == "cancelled"
