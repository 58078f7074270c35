"""The overdue reminder (once, through the outbox, by the worker) and the privacy erase of
money rows (what tax law keeps, what goes)."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from pypdf import PdfReader

from trainerhub.billing import jobs, services
from trainerhub.billing.models import Invoice, Payment
from trainerhub.billing.tests.factories import draft_invoice, make_client, past_booking, pay
from trainerhub.clients.privacy import erase_personal_data, export_sections
from trainerhub.core import periodic
from trainerhub.notifications.dispatcher import dispatch_due
from trainerhub.notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db

UTC_NOON = "T12:00:00+00:00"


def _at(day: date) -> datetime:
    return datetime.fromisoformat(day.isoformat() + UTC_NOON)


def test_overdue_reminder_once_after_n_days_with_the_pdf(alice, mailoutbox):
    services.business_details_update(trainer=alice, overdue_reminder_days=5, payment_terms_days=10)
    client = make_client(alice, email="chris@example.com")
    inv = services.invoice_issue(invoice=draft_invoice(client), today=date(2026, 3, 1))
    assert inv.due_on == date(2026, 3, 11)
    assert jobs.overdue_reminders(now=_at(date(2026, 3, 15))) == 0
    assert jobs.overdue_reminders(now=_at(date(2026, 3, 16))) == 1
    assert jobs.overdue_reminders(now=_at(date(2026, 3, 16))) == 0
    assert periodic.run_one("billing.overdue_reminders", now=_at(date(2026, 3, 20))) == 0
    rows = Notification.objects.filter(kind=Kind.INVOICE_OVERDUE)
    assert rows.count() == 1
    assert dispatch_due().sent == 1
    message = mailoutbox[0]
    assert inv.number in message.subject
    ((name, content, mimetype),) = message.attachments
    assert mimetype == "application/pdf" and name.endswith(".pdf")
    assert inv.number in PdfReader(io.BytesIO(content)).pages[0].extract_text()


def test_a_paid_invoice_gets_no_reminder(alice):
    services.business_details_update(trainer=alice, overdue_reminder_days=1, payment_terms_days=0)
    client = make_client(alice, email="chris@example.com")
    inv = services.invoice_issue(invoice=draft_invoice(client), today=date(2026, 3, 1))
    services.payment_record(trainer=alice, client=client, invoice=inv, amount="100", method="cash")
    assert jobs.overdue_reminders(now=_at(date(2026, 4, 1))) == 0


def test_send_queues_the_invoice_email_with_its_pdf(alice, mailoutbox):
    from trainerhub.billing.documents import invoice_send

    client = make_client(alice, email="chris@example.com")
    inv = services.invoice_issue(invoice=draft_invoice(client))
    invoice_send(invoice=inv)
    assert dispatch_due().sent == 1
    assert mailoutbox[0].to == ["chris@example.com"]
    assert mailoutbox[0].attachments[0][2] == "application/pdf"
    assert "Stop reminder" not in mailoutbox[0].body


def test_erase_keeps_the_tax_record_and_removes_the_rest(alice):
    client = make_client(alice, first_name="Zeb", last_name="Zed", email="zeb@example.com")
    pay(past_booking(client), "60.00", note="Zeb paid in the car park")
    issued = services.invoice_issue(invoice=draft_invoice(client))
    draft = draft_invoice(client, ("Zeb's plan", "1", "10", "0"))
    exported = export_sections(client)
    assert exported["payments"][0]["note"] == "Zeb paid in the car park"
    assert [i["number"] for i in exported["invoices"]] == [issued.number, ""]
    erase_personal_data(client)
    payment = Payment.objects.get()
    assert (payment.amount, payment.note) == (payment.amount, "")
    assert not Invoice.objects.filter(pk=draft.pk).exists()
    issued.refresh_from_db()
    assert issued.buyer["email"] == "" and issued.buyer["name"] == "Zeb Zed"
    assert issued.number and issued.total == issued.lines.first().gross


def test_erase_keeps_payments_summing_as_before(alice):
    client = make_client(alice)
    booking = past_booking(client)
    p = pay(booking, "60.00")
    services.payment_refund(payment=p, amount="10", note="sorry")
    erase_personal_data(client)
    assert sum(x.amount for x in Payment.objects.all()) == 50
