"""The pricing rules (pricing.py) and booking_create's price snapshot, through the services."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine

from trainerhub.core.errors import Conflict, InvalidInput
from trainerhub.scheduling import pricing, services
from trainerhub.scheduling.models import Booking, DiscountCode, Service, Session
from trainerhub.scheduling.purchase import Purchase
from trainerhub.scheduling.tests.factories import local_at, make_service

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.mark.parametrize(
    ("price", "mode", "minutes", "expected"),
    [
        ("50.00", "fixed", 45, "50.00"),
        ("60.00", "per_hour", 90, "90.00"),
        ("50.00", "per_hour", 45, "37.50"),
        ("10.00", "per_hour", 25, "4.17"),  # 4.1666… rounds half up to the cent
        ("0.05", "per_hour", 30, "0.03"),  # 0.025 → 0.03
        ("0", "per_hour", 60, "0.00"),
    ],
)
def test_base_price(price, mode, minutes, expected):
    assert pricing.base_price(D(price), mode, minutes) == D(expected)


def test_discount_never_more_than_the_subtotal():
    assert pricing.discount_amount(D("80.00"), percent_off=25, amount_off=None) == D("20.00")
    assert pricing.discount_amount(D("33.33"), percent_off=10, amount_off=None) == D("3.33")
    assert pricing.discount_amount(D("30.00"), percent_off=None, amount_off=D("50")) == D("30.00")
    assert pricing.discount_amount(D("30.00"), percent_off=100, amount_off=None) == D("30.00")


def test_deposit():
    assert pricing.deposit_amount(D("80"), kind="percent", value=D("25")) == D("20.00")
    assert pricing.deposit_amount(D("80"), kind="amount", value=D("100")) == D("80.00")
    assert pricing.deposit_amount(D("80"), kind="none", value=D("0")) == D("0.00")


@pytest.fixture
def shoot(open_alice):
    service = make_service(
        open_alice,
        name="Shoot",
        duration_minutes=60,
        price="60.00",
        price_mode="per_hour",
        deposit_kind="percent",
        deposit_value=D("50"),
        allow_pay_at_session=True,
    )
    drone = services.addon_create(service=service, name="Drone", price=D("25.00"), extra_minutes=0)
    hour = services.addon_create(
        service=service, name="Extra hour", price=D("55.00"), extra_minutes=60
    )
    return service, drone, hour


def test_booking_keeps_its_snapshot_when_the_service_changes(open_alice, shoot, carol):
    service, drone, hour = shoot
    services.discount_create(trainer=open_alice, code="Spring10", percent_off=10)
    booking = services.booking_create(
        trainer=open_alice,
        client=carol,
        service=service,
        start=local_at(open_alice, 2, "10:00"),
        purchase=Purchase(addons=(drone.pk, hour.pk), discount_code="spring10"),
    )
    assert booking.end - booking.start == timedelta(minutes=120)
    session = Session.objects.get(pk=booking.session_id)
    assert session.blocked_end - session.blocked_start == timedelta(minutes=120)
    # 60 + 25 + 55 = 140, 10 % off = 14 → 126, deposit 50 % = 63.
    expected = {
        "base": "60.00",
        "addons": [{"name": "Drone", "price": "25.00"}, {"name": "Extra hour", "price": "55.00"}],
        "discount": {"code": "Spring10", "amount": "14.00"},
        "total": "126.00",
        "currency": "GBP",
        "deposit_due": "63.00",
        "pay_at_session": False,
    }
    assert pricing.price_answer(booking) == expected
    services.service_update(service=service, price=D("99.00"), price_mode="fixed")
    services.addon_update(addon=drone, name="Big drone", price=D("70.00"))
    services.addon_delete(addon=hour)
    assert pricing.price_answer(Booking.objects.get(pk=booking.pk)) == expected
    assert DiscountCode.objects.get().uses == 1


def test_addon_minutes_need_the_longer_gap(open_alice, shoot, carol, dave):
    service, _, hour = shoot
    other = make_service(open_alice, name="Other", duration_minutes=60)
    services.booking_create(
        trainer=open_alice, client=dave, service=other, start=local_at(open_alice, 2, "11:00")
    )
    start = local_at(open_alice, 2, "10:00")
    # 60 minutes fit before 11:00; with the extra hour they do not.
    with pytest.raises(Conflict) as refused:
        services.booking_create(
            trainer=open_alice,
            client=carol,
            service=service,
            start=start,
            purchase=Purchase(addons=(hour.pk,)),
        )
    assert refused.value.code == "slot_taken"
    booked = services.booking_create(trainer=open_alice, client=carol, service=service, start=start)
    assert booked.end - booked.start == timedelta(minutes=60)


def test_reschedule_keeps_the_addon_minutes(open_alice, shoot, carol):
    service, _, hour = shoot
    booking = services.booking_create(
        trainer=open_alice,
        client=carol,
        service=service,
        start=local_at(open_alice, 2, "10:00"),
        purchase=Purchase(addons=(hour.pk,)),
    )
    moved = services.booking_reschedule(
        booking=booking, start=local_at(open_alice, 3, "14:00"), actor="trainer"
    )
    assert moved.end - moved.start == timedelta(minutes=120)


def test_addon_of_another_service_or_trainer_is_refused(open_alice, bob, shoot, carol):
    service, _, _ = shoot
    other = make_service(open_alice, name="Other")
    foreign = services.addon_create(service=other, name="Towel", price=D("2"))
    bobs = services.addon_create(service=make_service(bob), name="Bob's", price=D("2"))
    inactive = services.addon_create(service=service, name="Old", price=D("2"), is_active=False)
    for addon in (foreign, bobs, inactive):
        with pytest.raises(InvalidInput) as bad:
            services.booking_create(
                trainer=open_alice,
                client=carol,
                service=service,
                start=local_at(open_alice, 2, "10:00"),
                purchase=Purchase(addons=(addon.pk,)),
            )
        assert bad.value.field == "addons"
    assert Booking.objects.count() == 0 and Session.objects.count() == 0


def test_group_addons_add_price_only(open_alice, group):
    with pytest.raises(InvalidInput) as bad:
        services.addon_create(service=group, name="Longer", price=D("5"), extra_minutes=15)
    assert bad.value.field == "extra_minutes"
    towel = services.addon_create(service=group, name="Towel", price=D("2"))
    assert towel.extra_minutes == 0
    solo = make_service(open_alice, name="Solo")
    services.addon_create(service=solo, name="Longer", price=D("5"), extra_minutes=15)
    with pytest.raises(InvalidInput) as bad:
        services.service_update(service=solo, capacity=4)
    assert bad.value.field == "capacity"
    assert Service.objects.get(pk=solo.pk).capacity == 1


def test_pay_at_session_only_where_allowed(open_alice, pt, shoot, carol):
    service, _, _ = shoot
    with pytest.raises(InvalidInput) as bad:
        services.booking_create(
            trainer=open_alice,
            client=carol,
            service=pt,
            start=local_at(open_alice, 2, "10:00"),
            purchase=Purchase(pay_at_session=True),
        )
    assert bad.value.field == "pay_at_session"
    booking = services.booking_create(
        trainer=open_alice,
        client=carol,
        service=service,
        start=local_at(open_alice, 2, "12:00"),
        purchase=Purchase(pay_at_session=True),
    )
    assert booking.pay_at_session is True


@time_machine.travel("2026-03-10 09:00Z", tick=False)
def test_discount_codes_verdicts(open_alice, bob, pt, carol, dave):
    other = make_service(open_alice, name="Other")
    services.discount_create(
        trainer=open_alice,
        code="MARCH",
        amount_off=D("15.00"),
        valid_from=date(2026, 3, 1),
        valid_until=date(2026, 3, 31),
        services=[pt],
        max_uses_per_client=1,
    )
    services.discount_create(
        trainer=open_alice, code="LATER", percent_off=5, valid_from=date(2026, 4, 1)
    )
    services.discount_create(
        trainer=open_alice, code="OLD", percent_off=5, valid_until=date(2026, 3, 9)
    )
    services.discount_create(trainer=bob, code="BOBS", percent_off=50)
    off = services.discount_create(trainer=open_alice, code="OFF", percent_off=5)
    services.discount_deactivate(discount=off)

    def book(client, service, code, hour):
        return services.booking_create(
            trainer=open_alice,
            client=client,
            service=service,
            start=local_at(open_alice, 2, hour),
            purchase=Purchase(discount_code=code),
        )

    for code, service in (
        ("NOPE", pt),
        ("LATER", pt),
        ("OLD", pt),
        ("BOBS", pt),
        ("OFF", pt),
        ("march", other),
    ):
        with pytest.raises(Conflict) as refused:
            book(carol, service, code, "10:00")
        assert refused.value.code == "discount_invalid", code
    first = book(carol, pt, " march ", "10:00")
    assert (first.price, first.discount_amount, first.discount_code) == (
        D("35.00"),
        D("15.00"),
        "MARCH",
    )
    with pytest.raises(Conflict) as refused:
        book(carol, pt, "MARCH", "12:00")
    assert refused.value.code == "discount_used_up"
    assert book(dave, pt, "MARCH", "12:00").price == D("35.00")
    assert DiscountCode.objects.get(code="MARCH").uses == 2
    assert Booking.objects.count() == 2


def test_max_uses_and_nothing_half_written(open_alice, pt, carol, dave):
    services.discount_create(trainer=open_alice, code="ONCE", percent_off=100, max_uses=1)
    purchase = Purchase(discount_code="once")
    free = services.booking_create(
        trainer=open_alice,
        client=carol,
        service=pt,
        start=local_at(open_alice, 2, "10:00"),
        purchase=purchase,
    )
    assert free.price == D("0.00")
    with pytest.raises(Conflict) as refused:
        services.booking_create(
            trainer=open_alice,
            client=dave,
            service=pt,
            start=local_at(open_alice, 2, "12:00"),
            purchase=purchase,
        )
    assert refused.value.code == "discount_used_up"
    assert Booking.objects.count() == 1 and Session.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"code": "X", "percent_off": 101}, "percent_off"),
        ({"code": "X", "percent_off": 0}, "percent_off"),
        ({"code": "X", "amount_off": D("-1")}, "amount_off"),
        ({"code": "X", "amount_off": D("99999999")}, "amount_off"),
        ({"code": "X", "percent_off": 10, "amount_off": D("5")}, "amount_off"),
        ({"code": "X"}, "percent_off"),
        ({"code": "", "percent_off": 10}, "code"),
        ({"code": "two words", "percent_off": 10}, "code"),
        (
            {
                "code": "X",
                "percent_off": 10,
                "valid_from": date(2026, 3, 2),
                "valid_until": date(2026, 3, 1),
            },
            "valid_until",
        ),
        ({"code": "taken", "percent_off": 10}, "code"),
    ],
)
def test_bad_discounts(alice, fields, field):
    services.discount_create(trainer=alice, code="TAKEN", percent_off=5)
    with pytest.raises(InvalidInput) as bad:
        services.discount_create(trainer=alice, **fields)
    assert field in bad.value.errors
    assert DiscountCode.objects.count() == 1


def test_bad_service_prices(alice):
    for fields, field in (
        ({"deposit_kind": "percent", "deposit_value": D("120")}, "deposit_value"),
        ({"deposit_kind": "amount", "deposit_value": D("0")}, "deposit_value"),
        ({"price_mode": "weekly"}, "price_mode"),
        ({"currency": "XXX"}, "currency"),
        ({"price": D("-5")}, "price"),
    ):
        with pytest.raises(InvalidInput) as bad:
            make_service(alice, **fields)
        assert field in bad.value.errors
    assert Service.objects.count() == 0


def test_moving_the_whole_session_keeps_the_addon_minutes(open_alice, shoot, carol):
    service, _, hour = shoot
    booking = services.booking_create(
        trainer=open_alice,
        client=carol,
        service=service,
        start=local_at(open_alice, 2, "10:00"),
        purchase=Purchase(addons=(hour.pk,)),
    )
    [moved] = services.session_move(
        session=booking.session, start=local_at(open_alice, 3, "14:00"), actor="trainer"
    )
    assert moved.end - moved.start == timedelta(minutes=120)
