"""Each client email offers only the links that still apply: manage (cancel or reschedule)
and "stop reminders" while the booking stands, "book another time" once it does not."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from trainerhub.notifications.dispatcher import dispatch_due
from trainerhub.notifications.services import client_unsubscribe_reminders
from trainerhub.notifications.tests.conftest import cancel, make_booking, move
from trainerhub.notifications.tests.test_email import parts
from trainerhub.scheduling.services import booking_decline, service_update

pytestmark = pytest.mark.django_db
SITE = "https://hub.example.com"
BOOK = f"{SITE}/book/alice/"


def links(message) -> dict[str, bool]:
    text, html, _ = parts(message)
    return {
        "manage": f"{SITE}/manage/" in text and f"{SITE}/manage/" in html,
        "manage_mentioned": "cancel or reschedule" in text or "Manage your booking" in html,
        "stop": "/notifications/unsubscribe/" in text or "/notifications/unsubscribe/" in html,
        "book": f"Book another time: {BOOK}" in text and f'href="{BOOK}"' in html,
        "header": "List-Unsubscribe" in message,
    }


STANDS = {"manage": True, "manage_mentioned": True, "stop": True, "book": False, "header": True}
CLOSED = {"manage": False, "manage_mentioned": False, "stop": False, "book": True, "header": False}


def mail(smtp, prefix: str):
    (found,) = [m for m in smtp.messages if m["Subject"].startswith(prefix)]
    return found


def test_links_of_booked_moved_reminder_and_cancelled(smtp, alice, carol, pt, in_three_days):
    booking = make_booking(alice, carol, pt, in_three_days)
    move(booking, in_three_days + timedelta(hours=1))
    with time_machine.travel(in_three_days - timedelta(hours=1), tick=False):
        dispatch_due()
    cancel(booking, actor="trainer", reason="Ill")
    dispatch_due()

    assert links(mail(smtp, "Booked:")) == STANDS
    assert links(mail(smtp, "Moved:")) == STANDS
    assert links(mail(smtp, "Reminder:")) == STANDS
    assert links(mail(smtp, "Cancelled:")) == CLOSED


def test_links_of_a_request_and_its_decline(smtp, alice, carol, pt, in_three_days):
    service_update(service=pt, requires_confirmation=True)
    booking = make_booking(alice, carol, pt, in_three_days, status="pending", actor="client")
    booking_decline(booking=booking, actor="trainer", message="Away that week")
    dispatch_due()

    assert links(mail(smtp, "Request received:")) == STANDS
    assert links(mail(smtp, "Request declined:")) == CLOSED


def test_no_stop_reminders_link_once_stopped(smtp, alice, carol, pt, in_three_days):
    client_unsubscribe_reminders(client=carol)
    make_booking(alice, carol, pt, in_three_days)
    dispatch_due()

    assert links(mail(smtp, "Booked:")) == {**STANDS, "stop": False, "header": False}


def test_trainer_emails_offer_no_client_links(smtp, alice, carol, pt, in_three_days):
    booking = make_booking(alice, carol, pt, in_three_days, actor="client")
    cancel(booking, actor="client", reason="Ill")
    dispatch_due()

    trainer_mails = [m for m in smtp.messages if m["To"] == "alice@example.com"]
    assert [m["Subject"].split(":")[0] for m in trainer_mails] == ["New booking", "Cancellation"]
    for message in trainer_mails:
        assert links(message) == dict.fromkeys(STANDS, False)
