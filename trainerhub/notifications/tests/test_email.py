"""Client and trainer emails through a real SMTP server, read back and parsed."""

from __future__ import annotations

from datetime import timedelta
from email.utils import parseaddr

import pytest
from icalendar import Calendar

from trainerhub.notifications.dispatcher import dispatch_due
from trainerhub.notifications.models import Kind, Notification
from trainerhub.notifications.services import send_welcome_email
from trainerhub.notifications.tests.conftest import cancel, make_booking, move

pytestmark = pytest.mark.django_db


def parts(message):
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    ics = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    return text, html, ics


def test_confirmation_email_has_both_parts_and_a_request_invitation(
    smtp, alice, carol, pt, in_three_days
):
    booking = make_booking(alice, carol, pt, in_three_days)

    stats = dispatch_due()

    assert stats.sent == 1
    assert len(smtp) == 1
    _mail_from, rcpt_tos, _ = smtp.envelopes[0]
    assert rcpt_tos == ["carol@example.com"]
    message = smtp.messages[0]
    name, address = parseaddr(message["From"])
    assert name == "Alice Archer Coaching"
    assert address == "noreply@trainerhub.test"
    assert message["Reply-To"] == "alice@example.com"
    assert message["Subject"].startswith("Booked: Personal training on ")
    assert "(Europe/London)" in message["Subject"]
    assert (
        message["List-Unsubscribe"]
        .strip()
        .startswith("<https://hub.example.com/notifications/unsubscribe/")
    )
    text, html, ics_parts = parts(message)
    manage = f"https://hub.example.com/manage/{booking.manage_token}/"
    assert manage in text and manage in html
    assert "Hi Carol" in text and "<p>Hi Carol,</p>" in html
    assert "Studio 1, 10 High Street" in text
    assert len(ics_parts) == 1
    assert ics_parts[0].get_param("method") == "REQUEST"
    cal = Calendar.from_ical(ics_parts[0].get_content())
    assert cal["METHOD"] == "REQUEST"
    event = cal.walk("VEVENT")[0]
    assert str(event["UID"]) == f"booking-{booking.pk}@hub.example.com"
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == booking.start
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "Europe/London"
    row = Notification.objects.get(kind=Kind.BOOKING_CONFIRMED)
    assert row.status == "sent" and row.attempt_rows.get().outcome == "ok"


def test_times_are_in_the_clients_own_zone_when_they_have_an_account(
    smtp, alice, carol, pt, in_three_days
):
    from trainerhub.accounts.models import User

    carol.account = User.objects.create_user(
        "carol@example.com", "pw-long-enough-1", name="Carol", role="client", timezone="Asia/Tokyo"
    )
    carol.save()
    make_booking(alice, carol, pt, in_three_days)
    dispatch_due()
    text, _, _ = parts(smtp.messages[0])
    assert "(Asia/Tokyo)" in text
    local = in_three_days.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Tokyo"))
    assert f"{local:%H:%M}" in text


def test_cancellation_says_who_and_why_and_removes_from_calendar(
    smtp, alice, carol, pt, in_three_days
):
    booking = make_booking(alice, carol, pt, in_three_days, actor="client")
    dispatch_due()
    smtp.envelopes.clear()
    cancel(booking, actor="client", reason="Twisted ankle", late=True)

    dispatch_due()

    by_rcpt = {tuple(env[1]): msg for env, msg in zip(smtp.envelopes, smtp.messages, strict=True)}
    client_mail = by_rcpt[("carol@example.com",)]
    text, _, ics_parts = parts(client_mail)
    assert client_mail["Subject"].startswith("Cancelled: ")
    assert "cancelled by you" in text and "Twisted ankle" in text
    cal = Calendar.from_ical(ics_parts[0].get_content())
    assert cal["METHOD"] == "CANCEL"
    event = cal.walk("VEVENT")[0]
    assert event["STATUS"] == "CANCELLED" and event["SEQUENCE"] == 1
    trainer_mail = by_rcpt[("alice@example.com",)]
    assert trainer_mail["Subject"].startswith("Late cancellation: Carol Clark")
    assert "List-Unsubscribe" not in trainer_mail


def test_reschedule_sends_updated_invitation_with_old_and_new_time(
    smtp, alice, carol, pt, in_three_days
):
    booking = make_booking(alice, carol, pt, in_three_days)
    dispatch_due()
    smtp.envelopes.clear()
    move(booking, in_three_days + timedelta(days=1), actor="client")

    dispatch_due()

    subjects = {m["Subject"].split(":")[0] for m in smtp.messages}
    assert subjects == {"Moved", "Moved by Carol Clark"}
    client_mail = next(m for m in smtp.messages if m["To"] == "carol@example.com")
    text, _, ics_parts = parts(client_mail)
    assert "Was:" in text
    event = Calendar.from_ical(ics_parts[0].get_content()).walk("VEVENT")[0]
    assert event["SEQUENCE"] == 1
    assert event.decoded("DTSTART") == in_three_days + timedelta(days=1)


def test_pending_request_and_decline(smtp, alice, carol, pt, in_three_days):
    from trainerhub.scheduling.services import booking_decline, service_update

    service_update(service=pt, requires_confirmation=True)
    booking = make_booking(alice, carol, pt, in_three_days, status="pending", actor="client")
    dispatch_due()
    subjects = sorted(m["Subject"].split(":")[0] for m in smtp.messages)
    assert subjects == ["Request received", "Request waiting"]
    assert not [
        p for m in smtp.messages for p in m.walk() if p.get_content_type() == "text/calendar"
    ]
    smtp.envelopes.clear()
    booking_decline(booking=booking, actor="trainer", message="Fully booked that week")
    dispatch_due()
    (mail,) = smtp.messages
    assert mail["Subject"].startswith("Request declined")
    assert "Fully booked that week" in parts(mail)[0]


def test_welcome_email(smtp, alice):
    send_welcome_email(alice)
    send_welcome_email(alice)  # once only

    dispatch_due()

    (mail,) = smtp.messages
    assert mail["To"] == "alice@example.com"
    assert mail["Subject"] == "Welcome to TrainerHub, Alice Archer"
    assert "https://hub.example.com/" in parts(mail)[0]


def test_smtp_refusal_is_retried_with_backoff_then_fails(settings, alice, carol, pt, in_three_days):
    import time_machine
    from django.utils import timezone

    from trainerhub.notifications import dispatcher
    from trainerhub.notifications.tests.conftest import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    make_booking(alice, carol, pt, in_three_days)
    row = Notification.objects.get(kind=Kind.BOOKING_CONFIRMED)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for attempt in range(1, dispatcher.MAX_ATTEMPTS + 1):
            stats = dispatch_due()
            assert stats.claimed == 1
            row.refresh_from_db()
            assert row.attempts == attempt
            if attempt < dispatcher.MAX_ATTEMPTS:
                assert row.status == "pending"
                assert row.due_at == timezone.now() + dispatcher.backoff(attempt)
                assert dispatch_due().claimed == 0  # not before its time
                traveller.shift(dispatcher.backoff(attempt))
    assert row.status == "failed"
    assert "Mail server error" in row.last_error
    assert row.attempt_rows.filter(outcome="error").count() == dispatcher.MAX_ATTEMPTS
