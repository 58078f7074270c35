from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from trainerhub.scheduling.models import WeeklyInterval
from trainerhub.scheduling.tests.factories import local_at, make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def morning(alice):
    """alice works 09:00-11:00 every day; a 60-minute service."""
    for weekday in range(7):
        WeeklyInterval.objects.create(trainer=alice, weekday=weekday, start="09:00", end="11:00")
    return make_service(alice)


def test_slots_shape_and_offsets(alice_api, alice, morning):
    day = local_at(alice, 3, "00:00").date()
    res = alice_api.get(
        "/api/v1/slots/", {"service": morning.pk, "from": day.isoformat(), "to": day.isoformat()}
    )
    assert res.status_code == 200, res.json()
    body = res.json()
    assert body["service"] == morning.pk and body["timezone"] == "Europe/London"
    starts = [datetime.fromisoformat(s["start"]) for s in body["slots"]]
    assert starts == [local_at(alice, 3, "09:00"), local_at(alice, 3, "10:00")]
    assert body["slots"][0]["available"] == 1
    assert body["slots"][0]["start"] == local_at(alice, 3, "09:00").isoformat()


def test_slots_in_another_zone(alice_api, alice, morning):
    day = local_at(alice, 3, "00:00").date()
    res = alice_api.get(
        "/api/v1/slots/",
        {"service": morning.pk, "from": day.isoformat(), "to": day.isoformat(), "tz": "Asia/Tokyo"},
    )
    body = res.json()
    assert body["timezone"] == "Asia/Tokyo"
    # 09:00 London is evening in Tokyo, the same Tokyo date.
    for slot in body["slots"]:
        assert slot["start"].endswith("+09:00")
        assert datetime.fromisoformat(slot["start"]).date() == day


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2030-01-01", "to": "2030-04-05"}, "to"),  # 95 days
        ({"from": "2030-01-02", "to": "2030-01-01"}, "to"),
        ({"from": "01/01/2030"}, "from"),
        ({"tz": "Mars/Olympus"}, "tz"),
        ({"service": "abc"}, "service"),
        ({"service": "99999999"}, "service"),
        ({"service": ""}, "service"),
    ],
)
def test_slots_bad_query(alice_api, morning, params, field):
    query = {"service": morning.pk, **params}
    res = alice_api.get("/api/v1/slots/", query)
    assert res.status_code == 400
    assert field in res.json()


def test_92_days_is_fine(alice_api, morning):
    res = alice_api.get(
        "/api/v1/slots/", {"service": morning.pk, "from": "2030-01-01", "to": "2030-04-02"}
    )
    assert res.status_code == 200


def test_booking_removes_the_slot(alice_api, alice, morning):
    from trainerhub.scheduling.tests.factories import make_client

    day = local_at(alice, 3, "00:00").date().isoformat()
    client = make_client(alice, "Ann")
    res = alice_api.post(
        "/api/v1/bookings/",
        {
            "client": client.pk,
            "service": morning.pk,
            "start": local_at(alice, 3, "09:00").isoformat(),
        },
        format="json",
    )
    assert res.status_code == 201, res.json()
    body = alice_api.get("/api/v1/slots/", {"service": morning.pk, "from": day, "to": day}).json()
    assert [s["start"] for s in body["slots"]] == [local_at(alice, 3, "10:00").isoformat()]


def test_bob_cannot_list_alices_slots(bob_api, morning):
    res = bob_api.get("/api/v1/slots/", {"service": morning.pk})
    assert res.status_code == 400 and res.json()["service"] == ["Unknown service."]


def test_default_range_is_two_weeks(alice_api, alice, morning):
    body = alice_api.get("/api/v1/slots/", {"service": morning.pk}).json()
    last = datetime.fromisoformat(body["slots"][-1]["start"])
    assert last.date() - local_at(alice, 0, "00:00").date() == timedelta(days=13)


def test_inactive_service_has_no_slots(alice_api, morning):
    alice_api.delete(f"/api/v1/services/{morning.pk}/")
    res = alice_api.get("/api/v1/slots/", {"service": morning.pk})
    assert res.status_code == 400 and "no longer offered" in res.json()["service"][0]
