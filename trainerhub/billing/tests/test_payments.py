"""Payments and refunds: the rules, and the payment status derived from their sums."""

from __future__ import annotations

from decimal import Decimal

import pytest

from trainerhub.billing import selectors, services
from trainerhub.billing.models import Payment
from trainerhub.billing.tests.factories import make_client, past_booking, pay
from trainerhub.core.errors import Conflict, InvalidInput

pytestmark = pytest.mark.django_db


def status(booking):
    return selectors.booking_money(booking)


def test_status_follows_the_sums(alice):
    booking = past_booking(make_client(alice))
    assert (status(booking).status, status(booking).amount_due) == ("unpaid", Decimal("60.00"))
    first = pay(booking, "20.00")
    assert (status(booking).status, status(booking).amount_due) == ("partial", Decimal("40.00"))
    pay(booking, "40.00", method="bank_transfer")
    assert (status(booking).status, status(booking).amount_due) == ("paid", Decimal("0.00"))
    services.payment_refund(payment=first, amount="20.00")
    assert (status(booking).status, status(booking).amount_due) == ("partial", Decimal("20.00"))


def test_a_fully_refunded_booking_is_refunded(alice):
    booking = past_booking(make_client(alice))
    payment = pay(booking, "60.00")
    services.payment_refund(payment=payment, amount="25.00")
    services.payment_refund(payment=payment, amount="35.00")
    assert status(booking).status == "refunded"
    assert status(booking).amount_due == Decimal("60.00")


def test_a_refund_over_what_is_left_is_refused(alice):
    booking = past_booking(make_client(alice))
    payment = pay(booking, "60.00")
    services.payment_refund(payment=payment, amount="50.00")
    with pytest.raises(Conflict) as exc:
        services.payment_refund(payment=payment, amount="10.01")
    assert exc.value.code == "refund_too_large"
    assert Payment.objects.filter(refund_of=payment).count() == 1


def test_a_refund_is_not_refunded(alice):
    booking = past_booking(make_client(alice))
    refund = services.payment_refund(payment=pay(booking, "60.00"), amount="10")
    with pytest.raises(InvalidInput):
        services.payment_refund(payment=refund, amount="1")


@pytest.mark.parametrize(
    ("amount", "field"),
    [
        ("0", "amount"),
        ("-5", "amount"),
        ("abc", "amount"),
        ("1.001", "amount"),
        ("99999999", "amount"),
        ("NaN", "amount"),
        ("Infinity", "amount"),
    ],
)
def test_bad_amounts_are_refused_by_field(alice, amount, field):
    booking = past_booking(make_client(alice))
    with pytest.raises(InvalidInput) as exc:
        pay(booking, amount)
    assert field in exc.value.errors
    assert not Payment.objects.exists()


def test_currency_and_method_and_target_rules(alice, bob):
    client = make_client(alice)
    booking = past_booking(client)
    with pytest.raises(InvalidInput) as exc:
        pay(booking, "10", currency="XXX")
    assert "currency" in exc.value.errors
    with pytest.raises(InvalidInput) as exc:
        pay(booking, "10", currency="EUR")
    assert exc.value.errors["currency"] == ["This is billed in GBP."]
    with pytest.raises(InvalidInput) as exc:
        pay(booking, "10", method="crypto")
    assert "method" in exc.value.errors
    other = make_client(alice, first_name="Dana")
    with pytest.raises(InvalidInput) as exc:
        services.payment_record(
            trainer=alice, client=other, booking=booking, amount="10", method="cash"
        )
    assert exc.value.errors == {"booking": ["This session is another client's."]}
    with pytest.raises(InvalidInput) as exc:
        services.payment_record(
            trainer=bob, client=client, booking=booking, amount="10", method="cash"
        )
    assert "client" in exc.value.errors
    with pytest.raises(InvalidInput):
        services.payment_record(trainer=alice, client=client, amount="10", method="cash")
    assert not Payment.objects.exists()


def test_many_bookings_read_their_money_in_a_fixed_number_of_queries(
    alice, django_assert_num_queries
):
    client = make_client(alice)
    small = [past_booking(client, days_ago=d) for d in (2, 3)]
    big = small + [past_booking(client, days_ago=d) for d in range(4, 12)]
    for b in big:
        pay(b, "10")
    with django_assert_num_queries(3):
        selectors.bookings_money(small)
    with django_assert_num_queries(3):
        selectors.bookings_money(big)
