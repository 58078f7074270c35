"""Price pages: add-ons inline on the service form, the discount codes page, and the live
price of the trainer's booking form; messages next to the fields, 404 for another trainer."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from trainerhub.scheduling import services
from trainerhub.scheduling.models import DiscountCode, ServiceAddon
from trainerhub.scheduling.tests.factories import make_service

pytestmark = pytest.mark.django_db


def test_service_form_shows_and_adds_addons(client, alice, bob, pt):
    client.force_login(alice)
    page = client.get(reverse("scheduling:service_edit", args=[pt.pk]))
    assert b'id="addons"' in page.content and b"No add-ons yet" in page.content
    url = reverse("scheduling:addon_add", args=[pt.pk])
    r = client.post(
        url, {"name": "Extra hour", "price": "40", "extra_minutes": "60"}, HTTP_HX_REQUEST="true"
    )
    assert r.status_code == 200 and b"Extra hour" in r.content
    addon = ServiceAddon.objects.get()
    r = client.post(
        url, {"name": "Bad", "price": "-1", "extra_minutes": "0"}, HTTP_HX_REQUEST="true"
    )
    assert r.status_code == 200 and b"greater than or equal to 0" in r.content
    r = client.post(url, {"name": "Bad", "price": "1", "extra_minutes": "999"})
    assert r.status_code == 400
    assert ServiceAddon.objects.count() == 1
    client.post(reverse("scheduling:addon_toggle", args=[addon.pk]), HTTP_HX_REQUEST="true")
    assert ServiceAddon.objects.get().is_active is False
    client.force_login(bob)
    assert client.post(reverse("scheduling:addon_remove", args=[addon.pk])).status_code == 404
    assert client.post(url, {"name": "X", "price": "1", "extra_minutes": "0"}).status_code == 404
    client.force_login(alice)
    client.post(reverse("scheduling:addon_remove", args=[addon.pk]), HTTP_HX_REQUEST="true")
    assert not ServiceAddon.objects.exists()


def test_group_addon_minutes_message(client, alice, group):
    client.force_login(alice)
    r = client.post(
        reverse("scheduling:addon_add", args=[group.pk]),
        {"name": "Longer", "price": "5", "extra_minutes": "15"},
    )
    assert r.status_code == 400 and b"cannot lengthen the session" in r.content


def test_discounts_page_create_edit_deactivate(client, alice, bob, pt):
    client.force_login(alice)
    url = reverse("scheduling:discounts")
    assert client.get(url).status_code == 200
    r = client.post(url, {"code": "Spring", "percent_off": "10", "services": [pt.pk]})
    assert r.status_code == 302
    code = DiscountCode.objects.get()
    assert [s.pk for s in code.services.all()] == [pt.pk]
    listed = client.get(url).content.decode()
    assert "Spring" in listed and "Personal training" in listed
    for bad, message in (
        ({"code": "spring", "percent_off": "5"}, b"already have a code"),
        ({"code": "X", "percent_off": "150"}, b"less than or equal to 100"),
        ({"code": "X", "percent_off": "5", "amount_off": "3"}, b"not both"),
        ({"code": "X", "amount_off": "-2"}, b"greater than or equal to 0.01"),
    ):
        r = client.post(url, bad)
        assert r.status_code == 400 and message in r.content, bad
    assert DiscountCode.objects.count() == 1
    edit = reverse("scheduling:discount_edit", args=[code.pk])
    r = client.post(edit, {"code": "SPRING", "amount_off": "7.50", "max_uses": "5"})
    assert r.status_code == 302
    code.refresh_from_db()
    assert (code.code, code.percent_off, code.amount_off, code.max_uses) == (
        "SPRING",
        None,
        Decimal("7.50"),
        5,
    )
    assert list(code.services.all()) == []
    client.post(reverse("scheduling:discount_deactivate", args=[code.pk]))
    assert DiscountCode.objects.get().is_active is False
    client.force_login(bob)
    assert client.get(edit).status_code == 404
    assert client.post(reverse("scheduling:discount_activate", args=[code.pk])).status_code == 404


@pytest.mark.parametrize("size", [1, 5])
def test_discounts_page_queries_are_fixed(client, alice, pt, size, django_assert_num_queries):
    client.force_login(alice)
    for i in range(size):
        services.discount_create(trainer=alice, code=f"C{i}", percent_off=5, services=[pt])
    client.get(reverse("scheduling:discounts"))  # warm the session and caches
    with django_assert_num_queries(QUERIES):
        assert client.get(reverse("scheduling:discounts")).status_code == 200


QUERIES = 6


def test_booking_price_preview(client, alice, pt, carol):
    client.force_login(alice)
    extra = services.addon_create(service=pt, name="Extra", price=Decimal("20"), extra_minutes=30)
    services.discount_create(trainer=alice, code="HALF", percent_off=50)
    url = reverse("scheduling:booking_price")
    r = client.get(url, {"service": pt.pk, "addons": [extra.pk], "discount_code": "half"})
    assert r.status_code == 200
    text = r.content.decode()
    assert "Extra" in text and "35.00 GBP" in text and "Code HALF" in text
    r = client.get(url, {"service": pt.pk, "discount_code": "nope"})
    assert "This discount code is not valid." in r.content.decode()
    assert "50.00 GBP" in r.content.decode()
    assert client.get(url, {"service": "999999"}).status_code == 200


def _book_form(client, carol, service, start, **extra):
    body = {"client": carol.pk, "service": service.pk, "start": start.strftime("%Y-%m-%dT%H:%M")}
    return client.post(reverse("scheduling:booking_new"), {**body, **extra})


def test_booking_form_takes_addons_and_a_code(client, alice, carol, pt):
    from trainerhub.scheduling.models import Booking
    from trainerhub.scheduling.tests.factories import local_at

    client.force_login(alice)
    extra = services.addon_create(service=pt, name="Extra", price=Decimal("20"), extra_minutes=30)
    services.discount_create(trainer=alice, code="TEN", amount_off=Decimal("10"))
    page = client.get(reverse("scheduling:booking_new"), {"service": pt.pk}).content.decode()
    assert 'name="addons"' in page and 'name="discount_code"' in page
    r = _book_form(
        client, carol, pt, local_at(alice, 3, "10:00"), addons=[extra.pk], discount_code="ten"
    )
    assert r.status_code == 302
    booking = Booking.objects.get()
    detail = client.get(reverse("scheduling:booking_detail", args=[booking.pk])).content.decode()
    assert "(session 50.00 + Extra 20.00 \u2212 TEN 10.00)" in detail
    assert (booking.price, booking.discount_code, booking.extra_minutes) == (
        Decimal("60.00"),
        "TEN",
        30,
    )


def test_booking_form_refusals_next_to_the_fields(client, alice, carol, pt):
    from trainerhub.scheduling.models import Booking
    from trainerhub.scheduling.tests.factories import local_at

    client.force_login(alice)
    other = services.addon_create(
        service=make_service(alice, name="Other"), name="Towel", price=Decimal("2")
    )
    start = local_at(alice, 3, "10:00")
    r = _book_form(client, carol, pt, start, discount_code="nope")
    assert r.status_code == 400 and "This discount code is not valid." in r.content.decode()
    r = _book_form(client, carol, pt, start, addons=[other.pk])
    assert (
        r.status_code == 400 and "Choose among this service&#x27;s add-ons." in r.content.decode()
    )
    assert not Booking.objects.exists()
