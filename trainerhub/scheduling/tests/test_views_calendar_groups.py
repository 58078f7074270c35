"""A group session is one calendar event ("Group HIIT · 3/5"), its attendees in its panel;
it used to be one event per attendee, stacked on top of each other."""

from __future__ import annotations

import pytest
from django.urls import reverse

from trainerhub.scheduling import services
from trainerhub.scheduling.tests.factories import local_at, make_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def hiit_class(open_alice, group):
    start = local_at(open_alice, 2, "18:00")
    people = [make_client(open_alice, name, last_name="Lee") for name in ("Ann", "Ben", "Cy")]
    bookings = [
        services.booking_create(trainer=open_alice, client=p, service=group, start=start)
        for p in people
    ]
    services.booking_cancel(booking=bookings[2], actor="trainer")
    extra = make_client(open_alice, "Dee", last_name="Lee")
    services.booking_create(trainer=open_alice, client=extra, service=group, start=start)
    return bookings[0].session


def feed(client, trainer):
    start = local_at(trainer, 0, "00:00")
    params = {"start": start.isoformat(), "end": local_at(trainer, 7, "00:00").isoformat()}
    events = client.get(reverse("scheduling:calendar_events"), params).json()
    return [e for e in events if e.get("id")]


def test_one_event_per_group_session(client, open_alice, hiit_class, carol, pt):
    services.booking_create(
        trainer=open_alice, client=carol, service=pt, start=local_at(open_alice, 2, "09:00")
    )
    client.force_login(open_alice)
    events = feed(client, open_alice)
    group = [e for e in events if e["id"].startswith("session-")]
    assert len(events) == 2 and len(group) == 1
    assert group[0]["title"] == "Group HIIT · 3/5"
    assert group[0]["id"] == f"session-{hiit_class.pk}" and group[0]["editable"] is True
    assert group[0]["extendedProps"]["attendees"] == ["Ann Lee", "Ben Lee", "Dee Lee"]


def test_the_session_panel_lists_the_attendees(client, open_alice, hiit_class):
    client.force_login(open_alice)
    page = client.get(reverse("scheduling:session_panel", args=[hiit_class.pk])).content.decode()
    assert "3 of 5</strong> places taken · 2 free" in page
    for name in ("Ann Lee", "Ben Lee", "Dee Lee"):
        assert name in page
    assert "Cancelled or declined (1)" in page and "Cy Lee" in page


def test_another_trainer_cannot_see_the_session(client, bob, hiit_class):
    client.force_login(bob)
    assert client.get(reverse("scheduling:session_panel", args=[hiit_class.pk])).status_code == 404
