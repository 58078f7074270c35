"""The calendar page, its events feed and drag-and-drop moves."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.urls import reverse

from trainerhub.scheduling import services
from trainerhub.scheduling.tests.factories import local_at, make_client
from trainerhub.scheduling.views.calendar import text_colour_on

pytestmark = pytest.mark.django_db


def book(trainer, client, service, days=1, hhmm="09:00"):
    return services.booking_create(
        trainer=trainer, client=client, service=service, start=local_at(trainer, days, hhmm)
    )


def feed(client, trainer, **extra):
    start = local_at(trainer, 0, "00:00")
    params = {"start": start.isoformat(), "end": (start + timedelta(days=7)).isoformat()}
    params.update(extra)
    return client.get(reverse("scheduling:calendar_events"), params)


def test_calendar_page_states_the_timezone(client, alice, pt):
    client.force_login(alice)
    response = client.get(reverse("scheduling:calendar"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Europe/London" in html
    config = json.loads(
        html.split('id="calendar-config" type="application/json">')[1].split("<")[0]
    )
    assert config["timeZone"] == "Europe/London"
    assert "fullcalendar/luxon3.min.js" in html


def test_calendar_needs_login(client):
    assert client.get(reverse("scheduling:calendar")).status_code == 302
    assert client.get(reverse("scheduling:calendar_events")).status_code == 302


def test_events_coloured_by_service_with_working_hours(client, alice, carol, pt):
    pt.color = "#123456"
    pt.save()
    booking = book(alice, carol, pt)
    client.force_login(alice)
    events = feed(client, alice).json()
    sessions = [e for e in events if e.get("id")]
    assert [e["id"] for e in sessions] == [str(booking.pk)]
    assert sessions[0]["backgroundColor"] == "#123456"
    assert sessions[0]["textColor"] == "#ffffff"
    assert sessions[0]["title"] == "Carol Clark"
    shading = [e for e in events if "fc-working-hours" in e.get("classNames", [])]
    assert len(shading) == 7  # open every day


@pytest.mark.parametrize(
    ("background", "text"),
    [
        ("#2b8a3e", "#000000"),
        ("#3b5bdb", "#ffffff"),
        ("#ffd43b", "#000000"),
        ("#1b1d29", "#ffffff"),
    ],
)
def test_event_text_reads_on_any_service_colour(background, text):
    # White on a mid green is 4.37:1, below WCAG's 4.5:1: the calendar's event times failed.
    assert text_colour_on(background) == text


def test_cancelled_hidden_unless_asked(client, alice, carol, pt):
    booking = book(alice, carol, pt)
    services.booking_cancel(booking=booking, actor="trainer", reason="ill")
    client.force_login(alice)
    assert not [e for e in feed(client, alice).json() if e.get("id")]
    shown = [e for e in feed(client, alice, cancelled="1").json() if e.get("id")]
    assert "is-cancelled" in shown[0]["classNames"]
    assert shown[0]["editable"] is False


def test_events_feed_rejects_bad_ranges(client, alice):
    client.force_login(alice)
    url = reverse("scheduling:calendar_events")
    assert client.get(url).status_code == 400
    assert client.get(url, {"start": "nope", "end": "2030-01-01"}).status_code == 400
    assert client.get(url, {"start": "2030-01-01", "end": "2030-06-01"}).status_code == 400


def test_events_feed_queries_are_constant(client, alice, pt, django_assert_max_num_queries):
    for i in range(20):
        book(alice, make_client(alice, f"P{i}"), pt, days=1 + i % 6, hhmm=f"{8 + i // 6:02d}:00")
    client.force_login(alice)
    with django_assert_max_num_queries(7):
        events = feed(client, alice).json()
    assert len([e for e in events if e.get("id")]) == 20


def test_move_by_drag_and_drop(client, alice, carol, pt):
    booking = book(alice, carol, pt)
    client.force_login(alice)
    new = local_at(alice, 2, "15:00")
    response = client.post(
        reverse("scheduling:booking_move", args=[booking.pk]),
        json.dumps({"start": new.isoformat()}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    booking.refresh_from_db()
    assert booking.start == new


def test_refused_move_says_why_and_keeps_the_booking(client, alice, carol, dave, pt):
    booking = book(alice, carol, pt)
    book(alice, dave, pt, days=2, hhmm="15:00")
    client.force_login(alice)
    url = reverse("scheduling:booking_move", args=[booking.pk])
    taken = client.post(
        url,
        json.dumps({"start": local_at(alice, 2, "15:00").isoformat()}),
        content_type="application/json",
    )
    assert taken.status_code == 409
    assert taken.json()["code"] == "slot_taken" and taken.json()["detail"]
    night = client.post(
        url,
        json.dumps({"start": local_at(alice, 2, "23:00").isoformat()}),
        content_type="application/json",
    )
    assert night.status_code == 409 and night.json()["code"] == "outside_hours"
    for body in ("not json", json.dumps({"start": 5}), json.dumps([1])):
        assert client.post(url, body, content_type="application/json").status_code == 400
    booking.refresh_from_db()
    assert booking.start == local_at(alice, 1, "09:00")
