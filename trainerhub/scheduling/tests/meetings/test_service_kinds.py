"""A service's meeting kind on the form and the API: Zoom is offered only when the operator
configured it (refused by name otherwise), a fixed kind needs its link."""

from __future__ import annotations

import pytest

from trainerhub.scheduling.models import Service

pytestmark = pytest.mark.django_db

BODY = {"name": "Online coaching", "duration_minutes": 45, "is_online": True}


def test_the_api_refuses_zoom_when_it_is_not_configured(alice_api):
    res = alice_api.post("/api/v1/services/", {**BODY, "meeting_kind": "zoom"}, format="json")
    assert res.status_code == 400
    assert "Zoom is not set up on this server" in res.json()["meeting_kind"][0]
    assert not Service.objects.exists()


def test_the_api_takes_zoom_once_configured_and_jitsi_always(alice_api, zoom):
    for kind in ("zoom", "jitsi"):
        res = alice_api.post(
            "/api/v1/services/", {**BODY, "name": kind, "meeting_kind": kind}, format="json"
        )
        assert res.status_code == 201, res.json()
        assert res.json()["meeting_kind"] == kind
    assert set(Service.objects.values_list("meeting_kind", flat=True)) == {"zoom", "jitsi"}


@pytest.mark.parametrize(
    "body, field, message",
    [
        ({"meeting_kind": "fixed"}, "video_url", "Paste the link your clients join"),
        ({"meeting_kind": "teams"}, "meeting_kind", '"teams" is not a valid choice.'),
        (
            {"meeting_kind": "fixed", "video_url": "http://meet.example.com/x"},
            "video_url",
            "Enter a valid URL.",
        ),
    ],
)
def test_the_api_says_what_is_wrong_by_field(alice_api, body, field, message):
    res = alice_api.post("/api/v1/services/", {**BODY, **body}, format="json")
    assert res.status_code == 400
    assert message in " ".join(res.json()[field])


def test_an_in_person_service_needs_no_link(alice_api):
    body = {**BODY, "is_online": False, "location": "Studio"}
    assert alice_api.post("/api/v1/services/", body, format="json").status_code == 201


def form(**fields) -> dict:
    data = {
        "name": "Online coaching",
        "duration_minutes": 45,
        "price": "40.00",
        "currency": "GBP",
        "buffer_before_minutes": 0,
        "buffer_after_minutes": 0,
        "capacity": 1,
        "min_notice_minutes": 60,
        "max_advance_days": 60,
        "color": "#ff0000",
        "bookable_online": "on",
        "is_online": "on",
    }
    return {**data, **fields}


def test_the_form_offers_zoom_only_when_configured(client, alice, settings):
    client.force_login(alice)
    page = client.get("/scheduling/settings/services/new/").content.decode()
    assert 'value="jitsi"' in page and 'value="zoom"' not in page
    settings.ZOOM_ACCOUNT_ID = settings.ZOOM_CLIENT_ID = settings.ZOOM_CLIENT_SECRET = "x"
    page = client.get("/scheduling/settings/services/new/").content.decode()
    assert 'value="zoom"' in page


def test_the_form_saves_a_jitsi_service_and_asks_a_fixed_one_for_its_link(client, alice):
    client.force_login(alice)
    r = client.post("/scheduling/settings/services/new/", form(meeting_kind="fixed"))
    assert r.status_code == 400
    assert "Paste the link" in " ".join(r.context["form"].errors["video_url"])
    r = client.post("/scheduling/settings/services/new/", form(meeting_kind="jitsi"))
    assert r.status_code == 302
    assert Service.objects.get(trainer=alice).meeting_kind == "jitsi"
