"""Messages about no booking (an invoice) carry the files their app attaches, by email only,
once per key."""

from __future__ import annotations

import pytest

from trainerhub.core.tests.factories import make_client
from trainerhub.notifications import documents, outbox
from trainerhub.notifications.channels.base import Attachment
from trainerhub.notifications.dispatcher import dispatch_due
from trainerhub.notifications.models import Kind, Notification


@pytest.fixture
def invoice_kind():
    before = dict(documents._documents)
    documents.register(
        Kind.INVOICE_SENT,
        context=lambda row: {"invoice": {"number": "T-1", "url": "", "total": "1.00 EUR"}},
        attachments=lambda row: [Attachment("T-1.pdf", b"%PDF-1.7 test", "application/pdf")],
    )
    yield
    documents._documents.clear()
    documents._documents.update(before)


@pytest.mark.django_db
def test_a_document_email_carries_its_attachment_once(alice, invoice_kind, mailoutbox):
    client = make_client(alice, email="chris@example.com")
    row, created = outbox.to_client_email(
        trainer=alice, client=client, kind=Kind.INVOICE_SENT, dedupe="invoice:1:send:1"
    )
    again, created_again = outbox.to_client_email(
        trainer=alice, client=client, kind=Kind.INVOICE_SENT, dedupe="invoice:1:send:1"
    )
    assert created and not created_again and again.pk == row.pk

    assert dispatch_due().sent == 1
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["chris@example.com"]
    assert ("T-1.pdf", b"%PDF-1.7 test", "application/pdf") in message.attachments
    assert Notification.objects.get(pk=row.pk).status == Notification.Status.SENT


@pytest.mark.django_db
def test_an_unregistered_kind_attaches_nothing(alice, mailoutbox):
    client = make_client(alice, email="chris@example.com")
    row, _ = outbox.to_client_email(
        trainer=alice, client=client, kind=Kind.INVOICE_SENT, dedupe="x"
    )
    assert documents.attachments_for(row) == ()
