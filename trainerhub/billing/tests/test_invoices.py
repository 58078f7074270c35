"""Invoices: totals (gross or net prices, tax per rate), numbering at issue, never edited once
issued, voided by a credit note numbered in the same series, and the PDF read back."""

from __future__ import annotations

import io
import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connections, transaction
from pypdf import PdfReader

from trainerhub.billing import documents, selectors, services
from trainerhub.billing.models import Invoice
from trainerhub.billing.tests.factories import draft_invoice, make_client, past_booking, pay
from trainerhub.core.errors import Conflict, InvalidInput

pytestmark = pytest.mark.django_db


def test_gross_prices_split_into_net_and_tax_per_rate(alice):
    client = make_client(alice)
    inv = draft_invoice(
        client,
        ("Coaching", "2", "60.00", "20"),
        ("Book", "1", "10.50", "5"),
        ("Water", "3", "1.00", "0"),
    )
    assert (inv.subtotal, inv.tax_total, inv.total) == (
        Decimal("113.00"),
        Decimal("20.50"),
        Decimal("133.50"),
    )
    summary = documents.tax_summary(selectors.invoice_lines(inv))
    assert [(r.rate, r.net, r.tax) for r in summary] == [
        (Decimal("20.00"), Decimal("100.00"), Decimal("20.00")),
        (Decimal("5.00"), Decimal("10.00"), Decimal("0.50")),
        (Decimal("0.00"), Decimal("3.00"), Decimal("0.00")),
    ]


def test_net_prices_add_the_tax(alice):
    services.business_details_update(trainer=alice, prices_include_tax=False)
    inv = draft_invoice(make_client(alice), ("Coaching", "1", "100.00", "19"))
    assert (inv.subtotal, inv.tax_total, inv.total) == (
        Decimal("100.00"),
        Decimal("19.00"),
        Decimal("119.00"),
    )


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ({"description": "X", "quantity": "0", "unit_price": "1"}, "quantity"),
        ({"description": "X", "quantity": "1", "unit_price": "1", "tax_rate": "101"}, "tax_rate"),
        ({"description": "X", "quantity": "1", "unit_price": "-1"}, "unit_price"),
        ({"description": "", "quantity": "1", "unit_price": "1"}, "description"),
    ],
)
def test_bad_lines_are_refused_and_nothing_is_saved(alice, line, message):
    with pytest.raises(InvalidInput) as exc:
        services.invoice_create(trainer=alice, client=make_client(alice), lines=[line])
    assert message in exc.value.errors["lines"][0]
    assert not Invoice.objects.exists()


def test_issue_numbers_per_year_and_freezes_the_invoice(alice):
    services.business_details_update(
        trainer=alice, number_prefix="INV-", payment_terms_days=30, legal_name="Alice Ltd"
    )
    client = make_client(alice)
    first = services.invoice_issue(invoice=draft_invoice(client), today=date(2026, 3, 1))
    second = services.invoice_issue(invoice=draft_invoice(client), today=date(2026, 3, 2))
    next_year = services.invoice_issue(invoice=draft_invoice(client), today=date(2027, 1, 1))
    assert [first.number, second.number, next_year.number] == [
        "INV-2026-0001",
        "INV-2026-0002",
        "INV-2027-0001",
    ]
    assert first.due_on == date(2026, 3, 31)
    assert first.seller["legal_name"] == "Alice Ltd"
    with pytest.raises(Conflict) as exc:
        services.invoice_update(invoice=first, notes="changed")
    assert exc.value.code == "invoice_issued"
    with pytest.raises(Conflict) as exc:
        services.invoice_delete(invoice=first)
    assert exc.value.code == "invoice_issued"
    with pytest.raises(Conflict):
        services.invoice_issue(invoice=first)


def test_each_trainer_has_their_own_series(alice, bob):
    a = services.invoice_issue(invoice=draft_invoice(make_client(alice)), today=date(2026, 5, 1))
    b = services.invoice_issue(invoice=draft_invoice(make_client(bob)), today=date(2026, 5, 1))
    assert a.number == b.number == "2026-0001"


def test_void_makes_a_credit_note_in_the_same_series(alice):
    client = make_client(alice)
    inv = services.invoice_issue(invoice=draft_invoice(client), today=date(2026, 3, 1))
    note = services.invoice_void(invoice=inv, today=date(2026, 3, 5))
    inv.refresh_from_db()
    assert inv.state == "void" and note.credit_note_for == inv
    assert note.kind == "credit_note" and note.number == "2026-0002"
    assert note.total == -inv.total
    with pytest.raises(Conflict) as exc:
        services.invoice_void(invoice=inv)
    assert exc.value.code == "invoice_void"


def test_invoice_status_follows_its_payments(alice):
    client = make_client(alice)
    inv = services.invoice_issue(invoice=draft_invoice(client))
    pay_inv = lambda amount: services.payment_record(  # noqa: E731
        trainer=alice, client=client, invoice=inv, amount=amount, method="bank_transfer"
    )
    assert selectors.invoice_status(inv) == "issued"
    pay_inv("50.00")
    assert selectors.invoice_status(Invoice.objects.get(pk=inv.pk)) == "partially_paid"
    pay_inv("50.00")
    assert selectors.invoice_status(Invoice.objects.get(pk=inv.pk)) == "paid"
    listed = selectors.invoices_for_trainer(trainer=alice, status="paid")
    assert [i.pk for i in listed] == [inv.pk]


def test_a_draft_takes_no_payment(alice):
    client = make_client(alice)
    inv = draft_invoice(client)
    with pytest.raises(InvalidInput) as exc:
        services.payment_record(
            trainer=alice, client=client, invoice=inv, amount="1", method="cash"
        )
    assert "invoice" in exc.value.errors


def test_an_invoice_from_sessions_bills_each_once_and_settles_them(alice):
    client = make_client(alice)
    b1, b2 = past_booking(client, days_ago=3), past_booking(client, days_ago=2)
    inv = services.invoice_create(trainer=alice, client=client, bookings=[b2, b1])
    assert [line.booking_id for line in selectors.invoice_lines(inv)] == [b1.pk, b2.pk]
    assert inv.total == Decimal("120.00") and inv.currency == "GBP"
    with pytest.raises(InvalidInput) as exc:
        services.invoice_create(trainer=alice, client=client, bookings=[b1])
    assert "already on invoice" in exc.value.errors["bookings"][0]
    inv = services.invoice_issue(invoice=inv)
    services.payment_record(
        trainer=alice, client=client, invoice=inv, amount="120.00", method="cash"
    )
    assert {m.status for m in selectors.bookings_money([b1, b2]).values()} == {"paid"}
    assert selectors.balances(trainer=alice) == []


def test_pdf_reads_back_with_number_client_lines_and_totals(alice):
    services.business_details_update(
        trainer=alice, legal_name="Alice Archer Coaching", tax_id="GB123456789", paper="letter"
    )
    client = make_client(alice, first_name="Chris", last_name="Client")
    inv = draft_invoice(client, ("Personal training", "2", "60.00", "20"))
    inv = services.invoice_issue(invoice=inv, today=date(2026, 4, 1))
    pay(past_booking(client), "1.00")  # another item's payment is not this invoice's
    reader = PdfReader(io.BytesIO(documents.invoice_pdf(inv)))
    text = " ".join(page.extract_text() for page in reader.pages)
    for expected in (
        "2026-0001",
        "Chris Client",
        "Alice Archer Coaching",
        "GB123456789",
        "Personal training",
        "120.00 GBP",
        "100.00",
        "20.00",
        "Issued",
        "2026-04-15",
    ):
        assert expected in text, expected
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(width), round(height)) == (612, 792)  # US Letter


WORKERS = 20
ROLLED_BACK = 5


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_issues_five_rolled_back_give_consecutive_numbers(alice):
    client = make_client(alice)
    drafts = [draft_invoice(client) for _ in range(WORKERS)]
    barrier = threading.Barrier(WORKERS)
    crashed: list[str] = []
    lock = threading.Lock()

    class Rollback(Exception):
        pass

    def worker(index: int, invoice: Invoice) -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                services.invoice_issue(invoice=invoice, today=date(2026, 6, 1))
                if index < ROLLED_BACK:
                    raise Rollback
        except Rollback:
            pass
        except Exception as exc:  # anything else is a bug
            with lock:
                crashed.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, d)) for i, d in enumerate(drafts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert crashed == []
    issued = Invoice.objects.filter(state="issued").order_by("sequence")
    assert [i.sequence for i in issued] == list(range(1, WORKERS - ROLLED_BACK + 1))
    assert len({i.number for i in issued}) == WORKERS - ROLLED_BACK
    assert Invoice.objects.filter(state="draft").count() == ROLLED_BACK
    # The next issue continues the series without a gap.
    later = services.invoice_issue(invoice=draft_invoice(client), today=date(2026, 6, 2))
    assert later.sequence == WORKERS - ROLLED_BACK + 1
