"""The booking's meeting link on every surface: the client's confirmation, reminder and
link-ready emails (text, HTML and the .ics: URL, LOCATION, DESCRIPTION), the manage page and
its API, My appointments, the .ics download and feeds, the trainer's booking panel, session
panel and API; never on the public page before booking, gone once cancelled."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client as WebClient
from icalendar import Calendar

from trainerhub.core.tests import factories
from trainerhub.notifications.dispatcher import dispatch_due
from trainerhub.portal.tests.conftest import make_client_user
from trainerhub.scheduling import services
from trainerhub.scheduling.models import Booking
from trainerhub.scheduling.tests.meetings.conftest import online_service, run_worker

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-client-password-42"


def book_carol(service, start, *, account=None) -> Booking:
    client = factories.make_client(service.trainer, "Carol", email="carol@example.com")
    if account is not None:
        client.account = account
        client.save(update_fields=["account"])
    return services.booking_create(
        trainer=service.trainer, client=client, service=service, start=start
    )


def to_carol(smtp, subject_start: str):
    return [
        m
        for m in smtp.messages
        if m["To"] == "carol@example.com" and m["Subject"].startswith(subject_start)
    ]


def plain(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def vevent(raw: bytes):
    return next(c for c in Calendar.from_ical(raw).walk() if c.name == "VEVENT")


def invitation(message):
    (part,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    return vevent(part.get_payload(decode=True))


def assert_event_has(event, link: str) -> None:
    assert str(event["URL"]) == link
    assert str(event["LOCATION"]) == link
    assert f"Join the video call: {link}" in str(event["DESCRIPTION"])


def test_the_link_is_in_the_confirmation_and_the_reminder_with_their_invitations(
    alice, jitsi_service, smtp
):
    start = factories.local_at(alice, 3, "10:00")
    booking = book_carol(jitsi_service, start)
    link = booking.meeting_url
    dispatch_due()
    (confirmation,) = to_carol(smtp, "Booked")
    assert f"Video: {link}" in plain(confirmation)
    assert f'href="{link}"' in html(confirmation)
    assert_event_has(invitation(confirmation), link)
    with time_machine.travel(start - timedelta(hours=24), tick=False):
        dispatch_due()
    (reminder,) = to_carol(smtp, "Reminder")
    assert f"Video: {link}" in plain(reminder)


def test_a_zoom_link_follows_in_its_own_email_once_made(alice, zoom, zoom_service, smtp):
    booking = book_carol(zoom_service, factories.local_at(alice, 3, "10:00"))
    dispatch_due()  # the confirmation goes before Zoom answered: no link in it yet
    (confirmation,) = to_carol(smtp, "Booked")
    assert "Video:" not in plain(confirmation)
    run_worker()
    dispatch_due()
    booking.refresh_from_db()
    (ready,) = to_carol(smtp, "Your video-call link")
    assert f"Video: {booking.meeting_url}" in plain(ready)
    assert f'href="{booking.meeting_url.replace("&", "&amp;")}"' in html(ready)
    assert_event_has(invitation(ready), booking.meeting_url)


def test_no_second_email_when_the_confirmation_had_not_gone_yet(alice, zoom, zoom_service, smtp):
    booking = book_carol(zoom_service, factories.local_at(alice, 3, "10:00"))
    run_worker()  # the link is made before the confirmation goes: it carries it
    dispatch_due()
    booking.refresh_from_db()
    (confirmation,) = to_carol(smtp, "Booked")
    assert f"Video: {booking.meeting_url}" in plain(confirmation)
    assert to_carol(smtp, "Your video-call link") == []


def test_the_client_pages_api_and_calendar_files(alice, jitsi_service):
    carol = make_client_user("carol@example.com", PASSWORD)
    booking = book_carol(jitsi_service, factories.local_at(alice, 3, "10:00"), account=carol)
    link = booking.meeting_url
    anyone = WebClient()
    manage = anyone.get(f"/manage/{booking.manage_token}/").content.decode()
    assert f'href="{link}"' in manage
    api = anyone.get(f"/api/v1/manage/{booking.manage_token}").json()
    assert api["meeting_url"] == link and api["service"]["video_url"] == link
    assert_event_has(
        vevent(anyone.get(f"/manage/{booking.manage_token}/calendar.ics").content), link
    )

    signed_in = WebClient()
    signed_in.force_login(carol)
    assert f'href="{link}"' in signed_in.get("/my/").content.decode()
    assert f'href="{link}"' in signed_in.get(f"/my/bookings/{booking.pk}/").content.decode()
    assert_event_has(vevent(signed_in.get(f"/my/bookings/{booking.pk}/calendar.ics").content), link)


def test_the_trainers_panel_session_panel_and_api(alice, alice_api, client, hours):
    group = online_service(alice, "jitsi", name="Online yoga", capacity=4)
    booking = book_carol(group, factories.local_at(alice, 3, "10:00"))
    link = booking.meeting_url
    client.force_login(alice)
    panel = client.get(f"/scheduling/bookings/{booking.pk}/", headers={"HX-Request": "true"})
    assert f'href="{link}"' in panel.content.decode()
    session = client.get(f"/scheduling/calendar/sessions/{booking.session_id}/")
    assert f'href="{link}"' in session.content.decode()
    got = alice_api.get(f"/api/v1/bookings/{booking.pk}/").json()
    assert (got["meeting_provider"], got["meeting_url"]) == ("jitsi", link)


def test_never_on_the_public_page_and_gone_once_cancelled(alice, jitsi_service):
    booking = book_carol(jitsi_service, factories.local_at(alice, 3, "10:00"))
    link = booking.meeting_url
    anyone = WebClient()
    for path in ("/book/alice/", f"/book/alice/?service={jitsi_service.pk}"):
        page = anyone.get(path)
        assert page.status_code == 200 and "meet.jit.si" not in page.content.decode()
    public = anyone.get("/api/v1/public/alice/services").content.decode()
    assert "meet.jit.si" not in public
    services.booking_cancel(booking=booking, actor="client", reason="Away")
    assert link not in anyone.get(f"/manage/{booking.manage_token}/").content.decode()
    assert anyone.get(f"/api/v1/manage/{booking.manage_token}").json()["meeting_url"] == ""
