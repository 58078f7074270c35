"""Moving a group session on every surface that reaches it: the calendar's drop (the panel's
"who moves" form), the session panel, and POST /api/v1/sessions/{id}/move. One service decides,
so the verdicts agree."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.urls import reverse

from trainerhub.scheduling import services
from trainerhub.scheduling.models import Booking
from trainerhub.scheduling.tests.factories import local_at, make_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def hiit(open_alice, group):
    start = local_at(open_alice, 2, "18:00")
    people = [make_client(open_alice, name, last_name="Lee") for name in ("Ann", "Ben")]
    return [
        services.booking_create(trainer=open_alice, client=p, service=group, start=start)
        for p in people
    ]


def wall(value):
    return value.strftime("%Y-%m-%dT%H:%M")


def starts(bookings):
    return [Booking.objects.get(pk=b.pk).start for b in bookings]


def test_the_calendar_feed_lets_a_group_session_be_dragged_with_its_snap(client, open_alice, hiit):
    client.force_login(open_alice)
    params = {
        "start": local_at(open_alice, 0, "00:00").isoformat(),
        "end": local_at(open_alice, 7, "00:00").isoformat(),
    }
    events = client.get(reverse("scheduling:calendar_events"), params).json()
    (event,) = [e for e in events if e.get("id", "").startswith("session-")]
    assert event["editable"] is True and event["extendedProps"]["snap"] == 60


def test_the_drop_asks_who_moves_with_the_time_filled_in(client, open_alice, hiit):
    client.force_login(open_alice)
    session = hiit[0].session
    later = local_at(open_alice, 3, "09:15")
    page = client.get(
        reverse("scheduling:session_move", args=[session.pk]),
        {"start": later.isoformat()},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "Move Group HIIT?" in page
    assert f'value="{wall(later)}"' in page
    assert "The whole session (2 attendees, each told once)" in page
    assert "Only Ann Lee" in page and "Only Ben Lee" in page


def test_the_page_moves_the_whole_session(client, open_alice, hiit):
    client.force_login(open_alice)
    later = local_at(open_alice, 3, "09:15")
    response = client.post(
        reverse("scheduling:session_move", args=[hiit[0].session_id]),
        {"start": wall(later), "who": "all"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and response["HX-Trigger"] == "bookingChanged"
    assert "Moved Group HIIT to" in response.content.decode()
    assert starts(hiit) == [later, later]


def test_the_page_moves_one_attendee(client, open_alice, hiit):
    client.force_login(open_alice)
    later = local_at(open_alice, 3, "18:00")
    client.post(
        reverse("scheduling:session_move", args=[hiit[0].session_id]),
        {"start": wall(later), "who": str(hiit[1].pk)},
        HTTP_HX_REQUEST="true",
    )
    assert starts(hiit) == [hiit[0].start, later]


def test_page_and_api_refuse_the_same_move_with_the_same_reason(
    client, open_alice, alice_api, hiit, carol, pt
):
    blocker = local_at(open_alice, 3, "09:00")
    services.booking_create(trainer=open_alice, client=carol, service=pt, start=blocker)
    session = hiit[0].session_id
    client.force_login(open_alice)
    page = client.post(
        reverse("scheduling:session_move", args=[session]),
        {"start": wall(blocker), "who": "all"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "This time is taken by another session." in page
    api = alice_api.post(
        f"/api/v1/sessions/{session}/move", {"start": blocker.isoformat()}, format="json"
    )
    assert api.status_code == 409
    assert api.json() == {"code": "slot_taken", "detail": "This time is taken by another session."}
    assert starts(hiit) == [hiit[0].start, hiit[1].start]


def test_the_api_moves_the_whole_session_or_one_attendee(alice_api, open_alice, hiit):
    session = hiit[0].session_id
    later = local_at(open_alice, 3, "09:15")  # off the grid: the trainer's API may
    res = alice_api.post(
        f"/api/v1/sessions/{session}/move", {"start": later.isoformat()}, format="json"
    )
    assert res.status_code == 200
    body = res.json()
    assert sorted(b["id"] for b in body["bookings"]) == sorted(b.pk for b in hiit)
    assert {b["session"] for b in body["bookings"]} == {body["session"]}
    assert starts(hiit) == [later, later]
    alone = local_at(open_alice, 4, "18:00")
    res = alice_api.post(
        f"/api/v1/sessions/{body['session']}/move",
        {"start": alone.isoformat(), "booking": hiit[0].pk},
        format="json",
    )
    assert res.status_code == 200 and [b["id"] for b in res.json()["bookings"]] == [hiit[0].pk]
    assert starts(hiit) == [alone, later]


def test_the_api_answers_field_errors_and_404s(alice_api, bob_api, open_alice, hiit, carol, pt):
    session = hiit[0].session_id
    res = alice_api.post(f"/api/v1/sessions/{session}/move", {"start": "soon"}, format="json")
    assert res.status_code == 400 and "start" in res.json()
    other = services.booking_create(
        trainer=open_alice, client=carol, service=pt, start=local_at(open_alice, 5, "09:00")
    )
    res = alice_api.post(
        f"/api/v1/sessions/{session}/move",
        {"start": local_at(open_alice, 5, "12:00").isoformat(), "booking": other.pk},
        format="json",
    )
    assert res.status_code == 400
    assert res.json()["booking"] == ["This booking is not in this session."]
    res = bob_api.post(
        f"/api/v1/sessions/{session}/move",
        {"start": local_at(open_alice, 5, "12:00").isoformat()},
        format="json",
    )
    assert res.status_code == 404


def test_the_move_is_in_the_api_schema(alice_api):
    schema = alice_api.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/sessions/{id}/move"]["post"]
    assert operation["summary"] == "Move a session"
    assert {"200", "400", "404", "409"} <= set(operation["responses"])


def test_an_api_booking_may_start_off_the_grid_like_the_page(alice_api, open_alice, carol, pt):
    start = local_at(open_alice, 2, "10:15")
    res = alice_api.post(
        "/api/v1/bookings/",
        {"client": carol.pk, "service": pt.pk, "start": start.isoformat()},
        format="json",
    )
    assert res.status_code == 201, res.json()
    later = local_at(open_alice, 3, "11:40")
    res = alice_api.post(
        f"/api/v1/bookings/{res.json()['id']}/reschedule",
        {"start": later.isoformat()},
        format="json",
    )
    assert res.status_code == 200
    assert datetime.fromisoformat(res.json()["start"].replace("Z", "+00:00")) == later
