"""Money in the browser (issue 12): sell a package, book with its credit, cancel late and see
the credit forfeited; record a cash payment; issue and download an invoice."""

from __future__ import annotations

import io
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from pypdf import PdfReader

from tests.e2e.test_calendar_moves import LONDON, login
from trainerhub.billing.models import Invoice, Payment
from trainerhub.billing.tests.factories import past_booking
from trainerhub.packages.models import ClientPackage, LedgerEntry
from trainerhub.packages.tests.factories import make_package
from trainerhub.scheduling.models import Booking
from trainerhub.scheduling.tests.factories import make_client, make_service, open_every_day

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_package_credit_forfeit_cash_payment_and_invoice(page, alice, password):
    open_every_day(alice)
    service = make_service(alice, name="PT", price=Decimal("50.00"), currency="GBP")
    carol = make_client(alice, "Carol", last_name="Clark", email="carol@example.com")
    package = make_package(alice, name="Five PT", sessions_count=5, price=Decimal("200.00"))
    earlier = past_booking(carol, days_ago=3, service=service)
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, alice, password)

    # Sell the package, paid in cash.
    page.goto(f"{page.base}/packages/sell/")
    page.select_option("#id_package", str(package.pk))
    page.select_option("#id_client", str(carol.pk))
    page.fill("#id_amount", "200.00")
    page.click("button[type=submit]:has-text('Sell')")
    page.wait_for_load_state("networkidle")
    cp = ClientPackage.objects.get()
    assert Payment.objects.get(client_package=cp).amount == Decimal("200.00")

    # Book tomorrow with a credit (the calendar's "Book a session" opens this form).
    start = datetime.combine(datetime.now(LONDON).date() + timedelta(days=1), time(10), LONDON)
    page.goto(f"{page.base}/scheduling/bookings/new/")
    form = page.locator("#booking-form")
    form.locator("#client-search").fill("Carol")
    form.locator("#id_client option", has_text="Carol Clark").wait_for(state="attached")
    form.locator("#id_client").select_option(label="Carol Clark")
    page.wait_for_load_state("networkidle")
    form.locator("#id_service").select_option(label="PT")
    form.locator("#id_start").fill(start.strftime("%Y-%m-%dT%H:%M"))
    form.locator("#id_start").dispatch_event("change")
    form.locator("#id_client_package").wait_for()
    form.locator("#id_client_package").select_option(str(cp.pk))
    form.locator("button[type=submit]", has_text="Book").click()
    page.locator(".message", has_text="Booked").wait_for()
    booking = Booking.objects.get(start=start)
    assert LedgerEntry.objects.filter(booking=booking, kind="reserve").exists()

    # Cancel late: the credit is forfeited.
    page.goto(f"{page.base}/scheduling/bookings/{booking.pk}/")
    page.locator("#cancel summary").click()
    page.locator("#cancel input[name=late]").check()
    page.locator("#cancel button[type=submit]").click()
    page.locator(".status-cancelled").first.wait_for()
    page.goto(f"{page.base}/packages/sold/{cp.pk}/")
    page.locator("tr[data-kind=forfeit]").wait_for()

    # Record a cash payment on the earlier session.
    page.goto(f"{page.base}/scheduling/bookings/{earlier.pk}/")
    money = page.locator("section#booking-money")
    money.locator("summary", has_text="Record payment").click()
    money.locator("input[name=amount]").fill("50.00")
    money.locator("select[name=method]").select_option("cash")
    money.locator("button[type=submit]").click()
    page.locator("section#booking-money .pay-paid").wait_for()
    assert Payment.objects.get(booking=earlier).method == "cash"

    # Invoice the session, issue it, download the PDF.
    page.goto(f"{page.base}/billing/invoices/new/?client={carol.pk}")
    page.check(f"input[name=bookings][value='{earlier.pk}']")
    page.click("button[type=submit]:has-text('Save draft')")
    page.click("button[type=submit]:has-text('Issue')")
    page.locator(".message", has_text="issued").wait_for()
    invoice = Invoice.objects.get()
    assert invoice.number
    with page.expect_download() as info:
        page.click("a:has-text('Download PDF')")
    with open(info.value.path(), "rb") as fh:
        pdf = PdfReader(io.BytesIO(fh.read()))
    text = pdf.pages[0].extract_text()
    assert invoice.number in text and "Carol Clark" in text and "PT" in text
