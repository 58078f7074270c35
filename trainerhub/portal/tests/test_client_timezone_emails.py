"""A visitor in New York books a London trainer: the booking page's zone is kept on the
client record, and the confirmation and the reminder (read from a real SMTP server) both
speak New York time and name the zone."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from trainerhub.clients.models import Client
from trainerhub.notifications.dispatcher import dispatch_due
from trainerhub.portal.tests.conftest import form_data
from trainerhub.scheduling.models import Booking

pytestmark = pytest.mark.django_db
DETAILS = "/book/alice/details/"
NEW_YORK = ZoneInfo("America/New_York")


def _bodies(message) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


def _to_carol(smtp) -> list:
    return [m for m in smtp.messages if m["To"] == "carol@example.com"]


def _book(client, service, start, tz: str) -> Booking:
    r = client.post(DETAILS, form_data(service, start, step="confirm", tz=tz))
    assert r.status_code == 302
    return Booking.objects.get(start=start)


def test_confirmation_and_reminder_are_in_the_booking_pages_zone(
    client, smtp, alice, service, free_start
):
    booking = _book(client, service, free_start, "America/New_York")
    assert Client.objects.get(pk=booking.client_id).timezone == "America/New_York"
    local = free_start.astimezone(NEW_YORK)
    when = f"{local:%A} {local.day} {local:%B %Y}, {local:%H:%M} (America/New_York)"
    london = free_start.strftime("%H:%M")
    assert london != f"{local:%H:%M}"

    dispatch_due()
    (confirmation,) = _to_carol(smtp)
    assert confirmation["Subject"] == f"Booked: Personal training on {when}"
    text, html = _bodies(confirmation)
    assert f"When:  {when} until {local + timedelta(hours=1):%H:%M}" in text
    assert when in html and "Times are in America/New_York." in html

    with time_machine.travel(free_start - timedelta(hours=24), tick=False):
        dispatch_due()
    reminder = _to_carol(smtp)[1]
    assert reminder["Subject"].startswith("Reminder: Personal training in 24 hours")
    text, html = _bodies(reminder)
    assert f"When:  {when}" in text
    assert when in html and "Times are in America/New_York." in html
    assert "(Europe/London)" not in text + html


def test_booking_again_from_another_zone_leaves_the_records_zone(
    client, smtp, alice, service, free_start
):
    # A public booking never changes an existing record (anyone may type this address):
    # the messages keep the zone the record has, and say which it is.
    _book(client, service, free_start, "America/New_York")
    _book(client, service, free_start + timedelta(hours=2), "Asia/Tokyo")
    assert Client.objects.get(email="carol@example.com").timezone == "America/New_York"
    dispatch_due()
    subjects = sorted(m["Subject"] for m in _to_carol(smtp))
    assert len(subjects) == 2
    assert all("(America/New_York)" in s for s in subjects), subjects


def test_the_api_keeps_the_zone_too(client, smtp, alice, service, free_start):
    r = client.post(
        "/api/v1/public/alice/bookings",
        {
            "service": service.pk,
            "start": free_start.isoformat(),
            "first_name": "Carol",
            "last_name": "Client",
            "email": "carol@example.com",
            "tz": "America/New_York",
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    assert Client.objects.get(email="carol@example.com").timezone == "America/New_York"


def test_the_api_refuses_an_unknown_zone(client, alice, service, free_start):
    r = client.post(
        "/api/v1/public/alice/bookings",
        {
            "service": service.pk,
            "start": free_start.isoformat(),
            "first_name": "Carol",
            "last_name": "Client",
            "email": "carol@example.com",
            "tz": "Mars/Olympus",
        },
        content_type="application/json",
    )
    assert r.status_code == 400
    assert r.json()["tz"] == ["Unknown timezone; use an IANA name."]
