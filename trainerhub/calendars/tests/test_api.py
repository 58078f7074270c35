"""The calendars API: list/create, get/patch/delete, refresh; the secret URL is write-only
(masked in every answer); another trainer's id is a 404; bad input is a 400 by field."""

from __future__ import annotations

import pytest

from trainerhub.calendars.models import CalendarSubscription
from trainerhub.calendars.tests.ics_builder import ics
from trainerhub.calendars.tests.server import Route
from trainerhub.core.tests.factories import local_at
from trainerhub.scheduling.models import ExternalBusy

pytestmark = pytest.mark.django_db

PATH = "/secret-token-abcdef123456/basic.ics"


@pytest.fixture
def host(alice, calendar_host):
    calendar_host.routes[PATH] = Route(
        body=ics((local_at(alice, 1, "10:00"), local_at(alice, 1, "11:00"))), etag='"a"'
    )
    return calendar_host


def create(api, url, **extra):
    return api.post("/api/v1/calendars/", {"name": "Family", "url": url, **extra}, format="json")


def test_create_list_get_never_show_the_secret(alice_api, host):
    res = create(alice_api, host.url(PATH), color="#ff8800")
    assert res.status_code == 201, res.json()
    body = res.json()
    assert "url" not in body and body["url_masked"] == "http://127.0.0.1/…3456"
    assert body["color"] == "#ff8800" and body["is_active"] is True
    assert body["last_success_at"] is None and body["busy_count"] == 0
    listed = alice_api.get("/api/v1/calendars/").json()
    assert [c["id"] for c in listed["results"]] == [body["id"]]
    assert "secret-token" not in str(listed)
    one = alice_api.get(f"/api/v1/calendars/{body['id']}/").json()
    assert one["name"] == "Family" and "secret-token" not in str(one)


def test_refresh_reads_the_calendar_now(alice_api, alice, host):
    pk = create(alice_api, host.url(PATH)).json()["id"]
    res = alice_api.post(f"/api/v1/calendars/{pk}/refresh")
    assert res.status_code == 200, res.json()
    assert res.json()["busy_count"] == 1 and res.json()["last_error"] == ""
    assert ExternalBusy.objects.filter(trainer=alice, calendar_id=pk).count() == 1


def test_refresh_of_a_failing_calendar_answers_its_error(alice_api, host):
    pk = create(alice_api, host.url("/missing.ics")).json()["id"]
    res = alice_api.post(f"/api/v1/calendars/{pk}/refresh")
    assert res.status_code == 200
    assert res.json()["last_error"] == (
        "The calendar was not found (HTTP 404): it may have been deleted."
    )


def test_patch_and_delete(alice_api, alice, host):
    pk = create(alice_api, host.url(PATH)).json()["id"]
    alice_api.post(f"/api/v1/calendars/{pk}/refresh")
    res = alice_api.patch(f"/api/v1/calendars/{pk}/", {"name": "Home"}, format="json")
    assert res.status_code == 200 and res.json()["name"] == "Home"
    assert res.json()["busy_count"] == 1  # a new name keeps what was read
    res = alice_api.patch(f"/api/v1/calendars/{pk}/", {"is_active": False}, format="json")
    assert res.json()["busy_count"] == 0
    assert not ExternalBusy.objects.filter(calendar_id=pk).exists()
    assert alice_api.delete(f"/api/v1/calendars/{pk}/").status_code == 204
    assert not CalendarSubscription.objects.exists()


def test_another_trainers_calendar_is_a_404(alice_api, bob_api, host):
    pk = create(alice_api, host.url(PATH)).json()["id"]
    for method, url in [
        ("get", f"/api/v1/calendars/{pk}/"),
        ("patch", f"/api/v1/calendars/{pk}/"),
        ("delete", f"/api/v1/calendars/{pk}/"),
        ("post", f"/api/v1/calendars/{pk}/refresh"),
    ]:
        res = getattr(bob_api, method)(url, {}, format="json")
        assert res.status_code == 404, (method, url)
    assert bob_api.get("/api/v1/calendars/").json()["results"] == []
    assert CalendarSubscription.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "X", "url": "ftp://example.com/a.ics"}, "url"),
        ({"name": "X", "url": ""}, "url"),
        ({"name": "", "url": "https://example.com/a.ics"}, "name"),
        ({"name": "X", "url": "https://example.com/a.ics", "color": "red"}, "color"),
        ({"url": "https://example.com/a.ics"}, "name"),
    ],
)
def test_bad_input_is_a_400_by_field(alice_api, payload, field):
    res = alice_api.post("/api/v1/calendars/", payload, format="json")
    assert res.status_code == 400, res.json()
    assert field in res.json(), res.json()
    assert not CalendarSubscription.objects.exists()


def test_plain_http_is_refused_unless_private_addresses_are_allowed(alice_api, settings):
    settings.CALENDAR_ALLOW_PRIVATE = False
    res = create(alice_api, "http://calendar.example.com/a.ics")
    assert res.status_code == 400
    assert res.json()["url"] == [
        "Use the calendar's https:// address (plain http is not accepted)."
    ]


def test_webcal_is_stored_as_https(alice_api, settings):
    settings.CALENDAR_ALLOW_PRIVATE = False
    res = create(alice_api, "webcal://p01-caldav.icloud.com/published/2/ABCDEFGHIJKL")
    assert res.status_code == 201
    assert CalendarSubscription.objects.get().url.startswith("https://p01-caldav.icloud.com/")
    assert res.json()["url_masked"] == "https://p01-caldav.icloud.com/…IJKL"
