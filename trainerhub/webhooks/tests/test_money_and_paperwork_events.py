"""payment.received, invoice.issued and contract.signed reach the endpoints that want them."""

from __future__ import annotations

import pytest

from trainerhub.billing import services as billing
from trainerhub.contracts import services as contracts
from trainerhub.contracts.evidence import Actor
from trainerhub.core.tests.factories import local_at, make_booking, make_client
from trainerhub.webhooks.models import Delivery

pytestmark = pytest.mark.django_db

TRAINER = Actor(ip_address="10.0.0.1", user_agent="pytest", identified_by="the trainer")
SIGNER = Actor(ip_address="203.0.113.9", user_agent="Phone", identified_by="link")


def _data(event: str) -> dict:
    return Delivery.objects.get(event=event).payload["data"]


def test_a_payment_is_told(alice, endpoint):
    client = make_client(alice, "Pat", email="pat@example.com")
    booking = make_booking(client, local_at(alice, 2, "10:00"))
    payment = billing.payment_record(
        trainer=alice, client=client, booking=booking, amount="50.00", method="cash"
    )
    data = _data("payment.received")
    assert data["id"] == payment.pk and data["booking_id"] == booking.pk
    assert (data["amount"], data["currency"], data["method"]) == ("50.00", payment.currency, "cash")
    assert data["client"]["email"] == "pat@example.com"


def test_an_issued_invoice_is_told(alice, endpoint):
    client = make_client(alice, "Ivy")
    line = {"description": "Coaching", "quantity": "2", "unit_price": "40", "tax_rate": "0"}
    invoice = billing.invoice_create(trainer=alice, client=client, lines=[line], currency="GBP")
    assert not Delivery.objects.filter(event="invoice.issued").exists()  # a draft is not
    invoice = billing.invoice_issue(invoice=invoice)
    data = _data("invoice.issued")
    assert data["number"] == invoice.number and data["total"] == "80.00"
    assert data["client"]["id"] == client.pk


def test_a_signed_contract_is_told(alice, endpoint):
    client = make_client(alice, "Sam", last_name="Sign", email="sam@example.com")
    template = contracts.template_create(trainer=alice, name="Waiver", body="<p>At my risk.</p>")
    contract = contracts.contract_create(
        trainer=alice, template=template, client=client, actor=TRAINER
    )
    contract = contracts.contract_send(contract=contract, actor=TRAINER)
    contracts.contract_sign(
        contract=contract,
        fields={},
        consent=True,
        signature={"type": "typed", "name": "Sam Sign"},
        actor=SIGNER,
    )
    data = _data("contract.signed")
    assert data["id"] == contract.pk and data["title"]
    assert data["signed_at"] is not None and data["client"]["id"] == client.pk
