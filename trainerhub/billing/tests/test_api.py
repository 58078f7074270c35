"""The billing API: the contract's paths and fields, refusals 409 {code, detail}, bad input
400 by field, another trainer's id 404, lists in a fixed number of queries."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from trainerhub.billing import services
from trainerhub.billing.models import Invoice, Payment
from trainerhub.billing.tests.factories import draft_invoice, make_client, past_booking, pay

pytestmark = pytest.mark.django_db


@pytest.fixture
def chris(alice):
    return make_client(alice, first_name="Chris", last_name="Client", email="chris@example.com")


@pytest.fixture
def booking(chris):
    return past_booking(chris)


def test_record_a_payment_and_refund_it(alice_api, chris, booking):
    answer = alice_api.post(
        "/api/v1/payments/",
        {"client": chris.pk, "booking": booking.pk, "amount": "60", "method": "cash"},
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert (body["amount"], body["currency"], body["refundable"]) == ("60.00", "GBP", "60.00")
    refund = alice_api.post(
        f"/api/v1/payments/{body['id']}/refund", {"amount": "20.00"}, format="json"
    )
    assert refund.status_code == 201
    assert refund.json()["amount"] == "-20.00" and refund.json()["refund_of"] == body["id"]
    too_much = alice_api.post(
        f"/api/v1/payments/{body['id']}/refund", {"amount": "40.01"}, format="json"
    )
    assert too_much.status_code == 409
    assert too_much.json()["code"] == "refund_too_large"
    listed = alice_api.get("/api/v1/payments/", {"booking": booking.pk}).json()
    assert [p["amount"] for p in listed["results"]] == ["-20.00", "60.00"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": "-5"}, "amount"),
        ({"amount": "0"}, "amount"),
        ({"amount": "1e12"}, "amount"),
        ({"currency": "ABC"}, "currency"),
        ({"method": "barter"}, "method"),
    ],
)
def test_bad_payments_are_400_by_field(alice_api, chris, booking, change, field):
    data = {"client": chris.pk, "booking": booking.pk, "amount": "10", "method": "cash", **change}
    answer = alice_api.post("/api/v1/payments/", data, format="json")
    assert answer.status_code == 400
    assert field in answer.json()
    assert not Payment.objects.exists()


def test_another_trainers_rows_are_404_or_unknown(bob_api, alice, chris, booking):
    payment = pay(booking, "10")
    invoice = draft_invoice(chris)
    assert bob_api.get(f"/api/v1/payments/{payment.pk}/").status_code == 404
    assert bob_api.post(f"/api/v1/payments/{payment.pk}/refund", {"amount": "1"}).status_code == 404
    assert bob_api.get(f"/api/v1/invoices/{invoice.pk}/").status_code == 404
    assert bob_api.post(f"/api/v1/invoices/{invoice.pk}/issue").status_code == 404
    assert bob_api.get(f"/api/v1/invoices/{invoice.pk}/pdf").status_code == 404
    answer = bob_api.post(
        "/api/v1/payments/",
        {"client": chris.pk, "booking": booking.pk, "amount": "1", "method": "cash"},
        format="json",
    )
    assert answer.status_code == 400 and answer.json()["client"] == ["Unknown client."]


def test_invoice_lifecycle(alice_api, alice, chris):
    services.business_details_update(trainer=alice, payment_terms_days=10)
    created = alice_api.post(
        "/api/v1/invoices/",
        {
            "client": chris.pk,
            "currency": "GBP",
            "lines": [
                {"description": "Plan", "quantity": "1", "unit_price": "120.00", "tax_rate": "20"}
            ],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["status"], body["total"], body["tax_total"]) == ("draft", "120.00", "20.00")
    assert body["taxes"] == [{"rate": "20.00", "net": "100.00", "tax": "20.00"}]
    pk = body["id"]
    patched = alice_api.patch(f"/api/v1/invoices/{pk}/", {"notes": "Thanks"}, format="json")
    assert patched.status_code == 200 and patched.json()["notes"] == "Thanks"
    issued = alice_api.post(f"/api/v1/invoices/{pk}/issue")
    assert issued.status_code == 200
    number = issued.json()["number"]
    assert number == f"{date.today().year}-0001"
    refused = alice_api.patch(f"/api/v1/invoices/{pk}/", {"notes": "x"}, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "invoice_issued"
    assert alice_api.delete(f"/api/v1/invoices/{pk}/").json()["code"] == "invoice_issued"
    paid = alice_api.post(
        "/api/v1/payments/",
        {"client": chris.pk, "invoice": pk, "amount": "50", "method": "bank_transfer"},
        format="json",
    )
    assert paid.status_code == 201
    got = alice_api.get(f"/api/v1/invoices/{pk}/").json()
    assert (got["status"], got["payment_status"], got["outstanding"]) == (
        "partially_paid",
        "partial",
        "70.00",
    )
    pdf = alice_api.get(f"/api/v1/invoices/{pk}/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert number in text and "Chris Client" in text and "Partly paid" in text
    sent = alice_api.post(f"/api/v1/invoices/{pk}/send")
    assert sent.status_code == 202
    note = alice_api.post(f"/api/v1/invoices/{pk}/void")
    assert note.status_code == 201
    assert (note.json()["kind"], note.json()["total"], note.json()["credit_note_for"]) == (
        "credit_note",
        "-120.00",
        pk,
    )
    assert note.json()["number"] == f"{date.today().year}-0002"
    assert alice_api.get(f"/api/v1/invoices/{pk}/").json()["status"] == "void"


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({"description": "X", "quantity": "0", "unit_price": "1"}, "quantity"),
        ({"description": "X", "quantity": "1", "unit_price": "1", "tax_rate": "100.5"}, "tax_rate"),
        ({"description": "X", "quantity": "1", "unit_price": "-3"}, "unit_price"),
    ],
)
def test_bad_invoice_lines_are_400_by_field(alice_api, chris, line, field):
    answer = alice_api.post(
        "/api/v1/invoices/", {"client": chris.pk, "lines": [line]}, format="json"
    )
    assert answer.status_code == 400
    assert field in answer.json()["lines"]["0"]
    assert not Invoice.objects.exists()


def test_invoice_from_bookings(alice_api, chris):
    b1, b2 = past_booking(chris, days_ago=3), past_booking(chris, days_ago=2)
    answer = alice_api.post(
        "/api/v1/invoices/", {"client": chris.pk, "bookings": [b1.pk, b2.pk]}, format="json"
    )
    assert answer.status_code == 201
    assert [line["booking"] for line in answer.json()["lines"]] == [b1.pk, b2.pk]
    assert answer.json()["total"] == "120.00"


def test_revenue(alice_api, alice, chris, booking):
    alice.currency = "GBP"
    alice.save()
    pay(booking, "60.00")
    answer = alice_api.get("/api/v1/revenue/", {"group": "service"})
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) >= {"cash", "earned", "outstanding", "currency", "rows"}
    assert body["currency"] == "GBP" and body["outstanding"] == "0.00"
    assert alice_api.get("/api/v1/revenue/", {"group": "year"}).status_code == 400
    assert (
        alice_api.get("/api/v1/revenue/", {"from": "2026-02-01", "to": "2026-01-01"}).status_code
        == 400
    )


def test_lists_read_a_fixed_number_of_queries(alice_api, chris, django_assert_num_queries):
    made = []

    def grow(n: int) -> None:
        for _ in range(n):
            made.append(1)
            b = past_booking(chris, days_ago=len(made) + 1)
            pay(b, "10")
            services.invoice_issue(invoice=draft_invoice(chris))

    grow(2)
    with django_assert_num_queries(3):
        assert alice_api.get("/api/v1/payments/").status_code == 200
    with django_assert_num_queries(4):
        assert alice_api.get("/api/v1/invoices/").status_code == 200
    grow(5)
    with django_assert_num_queries(3):
        assert len(alice_api.get("/api/v1/payments/").json()["results"]) == 7
    with django_assert_num_queries(4):
        assert len(alice_api.get("/api/v1/invoices/").json()["results"]) == 7
