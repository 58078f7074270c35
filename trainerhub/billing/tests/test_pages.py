"""The money pages: the same rules as the API (same verdicts), lists in a fixed number of
queries, exports that survive hostile text, another trainer's rows a 404."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from trainerhub.billing import selectors, services
from trainerhub.billing.models import BusinessDetails, Invoice, Payment
from trainerhub.billing.tests.factories import draft_invoice, make_client, past_booking, pay

pytestmark = pytest.mark.django_db


def test_record_a_payment_on_the_booking_panel(alice_web, alice):
    booking = past_booking(make_client(alice))
    url = f"/billing/bookings/{booking.pk}/money/"
    page = alice_web.get(url)
    assert page.status_code == 200 and b"Record payment" in page.content
    answer = alice_web.post(url, {"amount": "25", "method": "cash"}, HTTP_HX_REQUEST="true")
    assert answer.status_code == 200
    assert b"35.00 GBP due" in answer.content
    assert selectors.booking_money(booking).status == "partial"


def test_a_bad_amount_is_a_message_next_to_the_field(alice_web, alice):
    booking = past_booking(make_client(alice))
    answer = alice_web.post(
        f"/billing/bookings/{booking.pk}/money/", {"amount": "-3", "method": "cash"}
    )
    assert answer.status_code == 200
    assert b"Enter an amount greater than 0." in answer.content
    assert not Payment.objects.exists()


def test_record_from_the_client_page_and_see_the_balance(alice_web, alice):
    client = make_client(alice)
    booking = past_booking(client)
    url = f"/billing/clients/{client.pk}/money/"
    page = alice_web.get(url)
    assert b"60.00 GBP" in page.content
    alice_web.post(url, {"item": f"b:{booking.pk}", "amount": "60.00", "method": "bank_transfer"})
    page = alice_web.get(url)
    assert b'class="outstanding">nothing' in page.content


def test_refund_page_refuses_too_much_like_the_api(alice_web, alice):
    payment = pay(past_booking(make_client(alice)), "30.00")
    answer = alice_web.post(f"/billing/payments/{payment.pk}/refund/", {"amount": "30.01"})
    assert answer.status_code == 200
    assert b"Only 30.00 GBP of this payment is left to refund." in answer.content
    answer = alice_web.post(f"/billing/payments/{payment.pk}/refund/", {"amount": "30.00"})
    assert answer.status_code == 302
    assert selectors.refundable(payment) == Decimal("0")


def test_another_trainers_rows_are_404_on_pages(bob_web, alice):
    client = make_client(alice)
    booking = past_booking(client)
    payment = pay(booking, "10")
    invoice = draft_invoice(client)
    for url in (
        f"/billing/bookings/{booking.pk}/money/",
        f"/billing/clients/{client.pk}/money/",
        f"/billing/payments/{payment.pk}/refund/",
        f"/billing/invoices/{invoice.pk}/",
        f"/billing/invoices/{invoice.pk}/pdf/",
    ):
        assert bob_web.get(url).status_code == 404, url
    assert bob_web.post(f"/billing/invoices/{invoice.pk}/issue/").status_code == 404
    assert Invoice.objects.get(pk=invoice.pk).state == "draft"


def test_payments_list_filters_and_counts_queries(alice_web, alice, django_assert_num_queries):
    client = make_client(alice)
    other = make_client(alice, first_name="Dana")
    pay(past_booking(client, days_ago=2), "10", method="cash")
    pay(past_booking(other, days_ago=3), "20", method="bank_transfer")
    page = alice_web.get("/billing/", {"method": "bank_transfer"})
    assert b"Dana" in page.content and b"20.00" in page.content
    assert page.context["page"].paginator.count == 1
    alice_web.get("/billing/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        alice_web.get("/billing/")
    for d in range(4, 14):
        pay(past_booking(client, days_ago=d), "5")
    with django_assert_num_queries(len(small)):
        assert alice_web.get("/billing/").context["page"].paginator.count == 12


def test_invoices_list_counts_queries(alice_web, alice, django_assert_num_queries):
    client = make_client(alice)
    services.invoice_issue(invoice=draft_invoice(client))
    alice_web.get("/billing/invoices/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        alice_web.get("/billing/invoices/")
    for _ in range(6):
        services.invoice_issue(invoice=draft_invoice(client))
    with django_assert_num_queries(len(small)):
        assert len(alice_web.get("/billing/invoices/").context["items"]) == 7


def test_owed_page_counts_queries(alice_web, alice, django_assert_num_queries):
    client = make_client(alice)
    past_booking(client, days_ago=2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    alice_web.get("/billing/owed/")
    with CaptureQueriesContext(connection) as small:
        alice_web.get("/billing/owed/")
    for d in range(3, 9):
        past_booking(make_client(alice, first_name=f"C{d}"), days_ago=d)
    with django_assert_num_queries(len(small)):
        assert len(alice_web.get("/billing/owed/").context["rows"]) == 7


def test_export_csv_and_xlsx_guard_formulas(alice_web, alice):
    booking = past_booking(make_client(alice, first_name="=cmd"))
    pay(booking, "12.34", note="@SUM(A1)")
    csv = alice_web.get("/billing/export.csv")
    assert csv.status_code == 200
    text = csv.content.decode("utf-8-sig")
    assert "'=cmd" in text and "'@SUM(A1)" in text and "12.34" in text
    xlsx = alice_web.get("/billing/export.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "Id" and rows[1][4] == 12.34


def test_business_details_page_refuses_a_tax_rate_over_100(alice_web, alice):
    data = {
        "legal_name": "Alice Ltd",
        "default_tax_rate": "120",
        "payment_terms_days": "14",
        "paper": "a4",
    }
    answer = alice_web.post("/billing/settings/", data)
    assert answer.status_code == 200
    assert b"Ensure this value is less than or equal to 100." in answer.content
    assert not BusinessDetails.objects.exists()
    data["default_tax_rate"] = "20"
    assert alice_web.post("/billing/settings/", data).status_code == 302
    assert BusinessDetails.objects.get().legal_name == "Alice Ltd"


def test_invoice_pages_from_sessions_to_issue_and_download(alice_web, alice):
    client = make_client(alice)
    booking = past_booking(client)
    form = alice_web.get("/billing/invoices/new/", {"client": client.pk})
    assert str(booking.pk).encode() in form.content
    answer = alice_web.post(
        "/billing/invoices/new/",
        {
            "client": client.pk,
            "currency": "GBP",
            "bookings": [booking.pk],
            "lines-TOTAL_FORMS": "3",
            "lines-INITIAL_FORMS": "0",
        },
    )
    assert answer.status_code == 302, answer.content
    invoice = Invoice.objects.get()
    alice_web.post(f"/billing/invoices/{invoice.pk}/issue/")
    invoice.refresh_from_db()
    assert invoice.state == "issued" and invoice.number
    pdf = alice_web.get(f"/billing/invoices/{invoice.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    # Refused like the API: an issued invoice is not deleted.
    alice_web.post(f"/billing/invoices/{invoice.pk}/delete/", follow=True)
    assert Invoice.objects.filter(pk=invoice.pk).exists()


def test_free_line_with_quantity_0_is_refused_on_the_page(alice_web, alice):
    client = make_client(alice)
    answer = alice_web.post(
        "/billing/invoices/new/",
        {
            "client": client.pk,
            "currency": "GBP",
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-0-description": "Plan",
            "lines-0-quantity": "0",
            "lines-0-unit_price": "10",
        },
    )
    assert answer.status_code == 200
    assert b"Line 1, quantity: Enter a quantity greater than 0." in answer.content
    assert not Invoice.objects.exists()


def test_dashboard_revenue_card_reconciles_and_reads_a_fixed_number_of_queries(
    alice_web, alice, django_assert_num_queries
):
    alice.currency = "GBP"
    alice.save()
    client = make_client(alice)
    p = pay(past_booking(client, days_ago=1, status="completed"), "60.00")
    services.payment_refund(payment=p, amount="10.00")
    home = alice_web.get("/")
    assert b'hx-get="/billing/revenue/card/' in home.content
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        card = alice_web.get("/billing/revenue/card/?from=2000-01-01&to=2000-12-31")
    for d in range(2, 8):
        pay(past_booking(client, days_ago=d), "5")
    with django_assert_num_queries(len(small)):
        alice_web.get("/billing/revenue/card/?from=2000-01-01&to=2000-12-31")
    card = alice_web.get("/billing/revenue/card/")
    cash = sum(r.cash for r in card.context["months"].rows)
    assert cash == Decimal("80.00")
    assert b'id="revenue-data"' in card.content and b"<table" in card.content
