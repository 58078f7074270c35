"""Receipts are message kinds of their own: listed on the notification settings (always sent,
the trainer cannot turn them off), by email with the PDF whatever the client's preferred
channel, and not stopped by the client's "stop reminders" (a receipt is transactional)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from trainerhub.billing import receipts, services
from trainerhub.billing.tests.factories import make_client, past_booking, pay
from trainerhub.notifications import prefs
from trainerhub.notifications.dispatcher import dispatch_due
from trainerhub.notifications.models import Kind, Notification, NotificationPreference
from trainerhub.notifications.services import client_unsubscribe_reminders

pytestmark = pytest.mark.django_db


def test_receipts_are_listed_on_the_settings_page_as_always_sent(alice_web, alice):
    page = alice_web.get("/notifications/settings/").content.decode()

    for label in ("Payment receipt (to client)", "Refund receipt (to client)"):
        row = page.split(label, 1)[1].split("</tr>", 1)[0]
        assert "checked disabled" in row and "(always sent)" in row
        assert 'name="pref:' not in row  # nothing to post: not the trainer's to turn off
    assert 'id="why-always"' in page


def test_the_trainer_cannot_turn_receipts_off(alice_web, alice):
    answer = alice_web.post(
        "/notifications/settings/", {"reminder_offsets": "24h", "agenda_hour": "7"}
    )
    assert answer.status_code == 302
    # Everything else unticked was saved off; receipts were not touched.
    assert (
        NotificationPreference.objects.get(kind=Kind.INVOICE_SENT, channel="email").enabled is False
    )
    assert not NotificationPreference.objects.filter(
        kind__in=[Kind.PAYMENT_RECEIPT, Kind.REFUND_RECEIPT]
    ).exists()
    prefs.preferences_set(trainer=alice, choices={(Kind.PAYMENT_RECEIPT, "email"): False})
    assert not NotificationPreference.objects.filter(kind=Kind.PAYMENT_RECEIPT).exists()
    # A row written some other way changes nothing either.
    NotificationPreference.objects.create(
        trainer=alice, kind=Kind.REFUND_RECEIPT, channel="email", enabled=False
    )
    assert prefs.is_enabled(alice, Kind.REFUND_RECEIPT, "email")
    assert prefs.preference_map(alice)[(Kind.REFUND_RECEIPT, "email")] is True
    assert prefs.channels_for_kind(Kind.PAYMENT_RECEIPT) == ("email",)


def test_a_client_who_stopped_reminders_and_prefers_sms_still_gets_both_receipts_by_email(
    alice, mailoutbox
):
    client = make_client(alice, email="chris@example.com", phone="+44 7400 123456")
    client.preferred_channel = "sms"
    client.save(update_fields=["preferred_channel"])
    client_unsubscribe_reminders(client=client)
    payment = pay(past_booking(client), "60.00", method="card_terminal")
    receipt = receipts.receipt_send(payment=payment)
    refund = services.payment_refund(payment=payment, amount="15.00")
    refund_receipt = receipts.receipt_send(payment=refund)

    dispatch_due()

    rows = Notification.objects.filter(kind__in=[Kind.PAYMENT_RECEIPT, Kind.REFUND_RECEIPT])
    assert sorted(rows.values_list("kind", "channel", "status")) == [
        (Kind.PAYMENT_RECEIPT, "email", "sent"),
        (Kind.REFUND_RECEIPT, "email", "sent"),
    ]
    [paid] = [m for m in mailoutbox if receipt.number in m.subject]
    [refunded] = [m for m in mailoutbox if refund_receipt.number in m.subject]
    assert paid.to == refunded.to == ["chris@example.com"]
    for message, number, amount in (
        (paid, receipt.number, "60.00"),
        (refunded, refund_receipt.number, "15.00"),
    ):
        assert "List-Unsubscribe" not in message.extra_headers
        assert "unsubscribe" not in message.body.lower()
        ((name, content, mimetype),) = message.attachments
        assert (name, mimetype) == (f"receipt-{number}.pdf", "application/pdf")
        text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
        assert number in text and amount in text


def test_every_receipt_kind_has_a_preview(alice_web):
    for kind in (Kind.PAYMENT_RECEIPT, Kind.REFUND_RECEIPT):
        page = alice_web.get(f"/notifications/preview/{kind}/").content.decode()
        assert "R2026-0007" in page
