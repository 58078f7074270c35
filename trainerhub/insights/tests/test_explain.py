# ruff: noqa: E501 - the expected sentences read best whole
"""The slot explainer agrees with the engine, on the API and the page."""

from __future__ import annotations

from datetime import time

import pytest
import time_machine

from conftest import api_client_for
from trainerhub.insights.tests.factories import at, make_booking, make_client, make_service
from trainerhub.scheduling import services

pytestmark = pytest.mark.django_db
NOW = "2026-03-02T08:00:00Z"  # Monday


@pytest.fixture
def setup(alice):
    with time_machine.travel(NOW, tick=False):
        for weekday in range(5):
            services.weekly_interval_create(
                trainer=alice, weekday=weekday, start=time(9), end=time(17)
            )
        pt = make_service(
            alice, name="PT", buffer_after_minutes=30, min_notice_minutes=120, max_advance_days=30
        )
        make_booking(make_client(alice), at(alice, "2026-03-03", "09:00"), service=pt)
        services.time_off_create(
            trainer=alice,
            start=at(alice, "2026-03-04", "12:00"),
            end=at(alice, "2026-03-04", "14:00"),
            reason="Dentist",
        )
        yield pt, api_client_for(alice)


@pytest.mark.parametrize(
    ("start", "code", "fact"),
    [
        (
            "2026-03-03T10:00:00+00:00",
            "slot_taken",
            "It starts inside the buffer of the 09:00 PT, which blocks until 10:30.",
        ),
        (
            "2026-03-03T08:00:00+00:00",
            "outside_hours",
            "Your weekly hours on Tuesday 03 March: 09:00-17:00; a 60-minute session must fit inside.",
        ),
        ("2026-03-07T10:00:00+00:00", "outside_hours", "No weekly hours for PT on Saturdays."),
        (
            "2026-03-04T12:00:00+00:00",
            "time_off",
            "Away Wed 04 Mar 12:00 to Wed 04 Mar 14:00 (time off: Dentist).",
        ),
        (
            "2026-03-02T09:00:00+00:00",
            "too_soon",
            "Bookings open from Mon 02 Mar 10:00 for this service.",
        ),
        ("2026-05-04T10:00:00+01:00", "too_far", None),
        ("2026-03-01T10:00:00+00:00", "in_past", None),
    ],
)
def test_each_rule_is_named(setup, start, code, fact):
    pt, api = setup
    with time_machine.travel(NOW, tick=False):
        body = api.get("/api/v1/slots/explain", {"service": pt.pk, "start": start}).json()
    assert body["free"] is False and body["code"] == code
    if fact:
        assert body["facts"] == [fact]


def test_a_free_time_and_bad_input(setup, bob):
    pt, api = setup
    with time_machine.travel(NOW, tick=False):
        free = api.get(
            "/api/v1/slots/explain", {"service": pt.pk, "start": "2026-03-03T11:00:00+00:00"}
        ).json()
        bad = api.get("/api/v1/slots/explain", {"service": "x", "start": "tomorrow"})
        stolen = api_client_for(bob).get(
            "/api/v1/slots/explain", {"service": pt.pk, "start": "2026-03-03T11:00:00+00:00"}
        )
    assert free["free"] is True and free["reason"] == "11:00 is free for PT."
    assert bad.status_code == 400 and set(bad.json()) == {"service", "start"}
    assert stolen.status_code == 400 and "service" in stolen.json()


def test_the_page_says_it(setup, client, alice):
    pt, _ = setup
    client.force_login(alice)
    with time_machine.travel(NOW, tick=False):
        page = client.get("/insights/why-not-free", {"service": pt.pk, "start": "2026-03-03T10:00"})
        calendar = client.get("/scheduling/calendar/")
    html = page.content.decode()
    assert "This time is taken by another session." in html and "blocks until 10:30" in html
    assert "Why is a time not free?" in calendar.content.decode()
