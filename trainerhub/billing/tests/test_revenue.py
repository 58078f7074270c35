"""Revenue: cash reconciles with the ledger to the cent, earned counts delivered sessions and
spent credits, outstanding agrees with the per-client balances."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from trainerhub.billing import reads, revenue, selectors, services
from trainerhub.billing.tests.factories import make_client, past_booking, pay
from trainerhub.core.timezones import local_day_bounds
from trainerhub.packages.tests.factories import make_package, sell

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-06-15 12:00Z", tick=False)
def test_cash_is_payments_minus_refunds_to_the_cent(alice):
    alice.currency = "GBP"
    alice.save()
    rng = random.Random(12)
    client = make_client(alice)
    for i in range(12):
        booking = past_booking(client, days_ago=i + 1, price="99.99")
        p = pay(booking, f"{rng.randint(1, 9999) / 100:.2f}")
        if i % 3 == 0:
            services.payment_refund(payment=p, amount=f"{min(p.amount, Decimal('0.37'))}")
    today = timezone.localdate()
    first = today - timedelta(days=40)
    figures = revenue.revenue(
        trainer=alice, first_day=first, last_day=today, group="month", now=timezone.now()
    )
    start, end = local_day_bounds(alice.timezone, first, today)
    assert figures.cash == revenue.ledger_cash(trainer=alice, currency="GBP", start=start, end=end)
    assert sum(r.cash for r in figures.rows) == figures.cash
    by_service = revenue.revenue(
        trainer=alice, first_day=first, last_day=today, group="service", now=timezone.now()
    )
    assert by_service.cash == figures.cash
    assert sum(r.earned for r in by_service.rows) == by_service.earned == figures.earned


@time_machine.travel("2026-06-15 12:00Z", tick=False)
def test_outstanding_agrees_with_the_balances(alice):
    alice.currency = "GBP"
    alice.save()
    a, b = make_client(alice), make_client(alice, first_name="Dana")
    pay(past_booking(a, days_ago=2), "20.00")
    past_booking(a, days_ago=3)
    pay(past_booking(b, days_ago=4), "60.00")
    inv = services.invoice_issue(
        invoice=services.invoice_create(
            trainer=alice,
            client=b,
            currency="GBP",
            lines=[{"description": "Plan", "quantity": 1, "unit_price": "30.00"}],
        )
    )
    services.payment_record(trainer=alice, client=b, invoice=inv, amount="10", method="cash")
    rows = selectors.balances(trainer=alice)
    assert [(r.name, r.total) for r in rows] == [
        (a.full_name, Decimal("100.00")),
        (b.full_name, Decimal("20.00")),
    ]
    total = revenue.outstanding(trainer=alice, currency="GBP", now=timezone.now())
    assert total == Decimal("120.00")


@time_machine.travel("2026-06-15 12:00Z", tick=False)
def test_outstanding_by_currency_is_the_balances_per_currency(alice, bob):
    alice.currency = "GBP"
    alice.save()
    a, b = make_client(alice), make_client(alice, first_name="Dana")
    pay(past_booking(a, days_ago=2), "20.00")  # owes 40.00
    pay(past_booking(a, days_ago=5), "90.00")  # paid more than the price: owes nothing
    past_booking(b, days_ago=3, price="45.50", currency="EUR")  # owes 45.50 EUR
    pay(past_booking(b, days_ago=4, price="30.00", currency="EUR"), "30.00")
    past_booking(make_client(bob), days_ago=2)  # another trainer's
    by_currency = revenue.outstanding_by_currency(trainer=alice, now=timezone.now())
    assert by_currency == {"EUR": Decimal("45.50"), "GBP": Decimal("40.00")}
    owed: dict[str, Decimal] = {}
    for row in selectors.balances(trainer=alice):
        owed[row.currency] = owed.get(row.currency, Decimal(0)) + row.total
    assert owed == by_currency
    assert revenue.outstanding(trainer=alice, currency="EUR", now=timezone.now()) == Decimal(
        "45.50"
    )
    assert revenue.outstanding(trainer=alice, currency="USD", now=timezone.now()) == Decimal(0)


@time_machine.travel("2026-06-15 12:00Z", tick=False)
def test_lifetime_paid_is_payments_minus_refunds_per_client(alice, bob):
    a, b, c = make_client(alice), make_client(alice, first_name="Dana"), make_client(alice)
    p = pay(past_booking(a, days_ago=400), "60.00")
    pay(past_booking(a, days_ago=2), "60.00")
    services.payment_refund(payment=p, amount="10.00")
    pay(past_booking(b, days_ago=3), "25.00")
    refunded = pay(past_booking(c, days_ago=4), "25.00")
    services.payment_refund(payment=refunded, amount="25.00")  # net nothing: left out
    pay(past_booking(make_client(bob), days_ago=2), "500.00")  # another trainer's
    rows = reads.lifetime_paid(trainer=alice)
    assert [(r.client_id, r.name, r.currency, r.paid) for r in rows] == [
        (a.pk, a.full_name, "GBP", Decimal("110.00")),
        (b.pk, b.full_name, "GBP", Decimal("25.00")),
    ]


@time_machine.travel("2026-06-15 12:00Z", tick=False)
def test_earned_counts_delivered_sessions_and_a_package_sale_is_cash(alice):
    alice.currency = "GBP"
    alice.save()
    client = make_client(alice)
    past_booking(client, days_ago=2, price="50.00", status="completed")
    past_booking(client, days_ago=3, price="70.00")  # confirmed, not delivered
    cp = sell(
        client,
        make_package(alice, price=Decimal("300.00"), sessions_count=6),
        payment={"amount": Decimal("300.00"), "method": "card_terminal"},
    )
    assert selectors.payments_for_trainer(trainer=alice, client_package=cp.pk).count() == 1
    today = timezone.localdate()
    figures = revenue.revenue(
        trainer=alice,
        first_day=today - timedelta(days=10),
        last_day=today,
        group="week",
        now=timezone.now(),
    )
    assert figures.earned == Decimal("50.00")
    assert figures.cash == Decimal("300.00")
    assert figures.top_clients[0].cash == Decimal("300.00")
