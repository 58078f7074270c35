"""Prices through the trainer's API: add-ons, discount codes, bookings with both, slots that
fit the add-ons; 400 by field, 404 for another trainer's rows, 409 for refused codes."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from trainerhub.core.api import READ_ONLY_FIELD
from trainerhub.scheduling import services
from trainerhub.scheduling.models import Booking, DiscountCode, ServiceAddon, Session
from trainerhub.scheduling.tests.factories import local_at, make_service

pytestmark = pytest.mark.django_db


def book(api, client, service, start, **extra):
    payload = {"client": client.pk, "service": service.pk, "start": start.isoformat(), **extra}
    return api.post("/api/v1/bookings/", payload, format="json")


def test_addons_crud(alice_api, bob_api, pt):
    url = f"/api/v1/services/{pt.pk}/addons/"
    r = alice_api.post(
        url, {"name": "Extra hour", "price": "45", "extra_minutes": 60}, format="json"
    )
    assert r.status_code == 201, r.json()
    addon = r.json()
    assert addon == {
        "id": addon["id"],
        "service": pt.pk,
        "name": "Extra hour",
        "price": "45.00",
        "extra_minutes": 60,
        "is_active": True,
    }
    assert alice_api.get(url).json()["results"] == [addon]
    item = f"/api/v1/addons/{addon['id']}/"
    assert alice_api.patch(item, {"is_active": False}, format="json").json()["is_active"] is False
    assert bob_api.get(item).status_code == 404
    assert bob_api.get(url).status_code == 404
    assert bob_api.post(url, {"name": "X", "price": "1"}, format="json").status_code == 404
    assert bob_api.delete(item).status_code == 404
    assert alice_api.delete(item).status_code == 204
    assert not ServiceAddon.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "X", "price": "-1"}, "price"),
        ({"name": "X", "price": "99999999"}, "price"),
        ({"name": "X", "price": "abc"}, "price"),
        ({"name": "X", "price": "1", "extra_minutes": 481}, "extra_minutes"),
        ({"name": "X", "price": "1", "extra_minutes": -5}, "extra_minutes"),
        ({"name": "", "price": "1"}, "name"),
    ],
)
def test_addon_bad_input(alice_api, pt, body, field):
    r = alice_api.post(f"/api/v1/services/{pt.pk}/addons/", body, format="json")
    assert r.status_code == 400 and field in r.json()
    assert not ServiceAddon.objects.exists()


def test_group_addon_minutes_are_refused(alice_api, group):
    body = {"name": "Longer", "price": "5", "extra_minutes": 15}
    r = alice_api.post(f"/api/v1/services/{group.pk}/addons/", body, format="json")
    assert r.status_code == 400 and "extra_minutes" in r.json()


def test_discounts_crud(alice_api, bob_api, pt, bob):
    body = {"code": "Spring", "percent_off": 20, "services": [pt.pk], "max_uses": 10}
    r = alice_api.post("/api/v1/discounts/", body, format="json")
    assert r.status_code == 201, r.json()
    code = r.json()
    assert code == {
        "id": code["id"],
        "code": "Spring",
        "percent_off": 20,
        "amount_off": None,
        "valid_from": None,
        "valid_until": None,
        "services": [pt.pk],
        "max_uses": 10,
        "max_uses_per_client": None,
        "uses": 0,
        "is_active": True,
    }
    again = alice_api.post(
        "/api/v1/discounts/", {"code": "SPRING", "percent_off": 5}, format="json"
    )
    assert again.status_code == 400 and "code" in again.json()
    foreign = make_service(bob)
    r = alice_api.post(
        "/api/v1/discounts/",
        {"code": "B", "percent_off": 5, "services": [foreign.pk]},
        format="json",
    )
    assert r.status_code == 400 and "services" in r.json()
    item = f"/api/v1/discounts/{code['id']}/"
    patched = alice_api.patch(item, {"percent_off": None, "amount_off": "7.5"}, format="json")
    assert patched.status_code == 200, patched.json()
    assert (patched.json()["amount_off"], patched.json()["percent_off"]) == ("7.50", None)
    refused = alice_api.patch(item, {"uses": 99}, format="json")
    assert (refused.status_code, refused.json()) == (400, {"uses": [READ_ONLY_FIELD]})
    assert alice_api.get(item).json()["uses"] == 0
    assert bob_api.get(item).status_code == 404
    assert bob_api.get("/api/v1/discounts/").json()["results"] == []
    assert alice_api.delete(item).status_code == 204
    assert alice_api.get(item).json()["is_active"] is False


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"code": "X", "percent_off": 101}, "percent_off"),
        ({"code": "X", "percent_off": 10, "amount_off": "5"}, "amount_off"),
        ({"code": "X", "amount_off": "-3"}, "amount_off"),
        ({"code": "X"}, "percent_off"),
        ({"code": "X", "percent_off": 5, "max_uses": 0}, "max_uses"),
        (
            {
                "code": "X",
                "percent_off": 5,
                "valid_from": "2026-05-02",
                "valid_until": "2026-05-01",
            },
            "valid_until",
        ),
    ],
)
def test_discount_bad_input(alice_api, body, field):
    r = alice_api.post("/api/v1/discounts/", body, format="json")
    assert r.status_code == 400 and field in r.json(), r.json()
    assert not DiscountCode.objects.exists()


@pytest.mark.parametrize("size", [1, 6])
def test_discount_list_queries_are_fixed(alice_api, alice, pt, size, django_assert_num_queries):
    for i in range(size):
        services.discount_create(trainer=alice, code=f"C{i}", percent_off=5, services=[pt])
    # auth + count + page + services prefetch
    with django_assert_num_queries(4):
        assert len(alice_api.get("/api/v1/discounts/").json()["results"]) == size


def test_booking_with_addons_and_code(alice_api, alice, pt, carol):
    extra = services.addon_create(
        service=pt, name="Extra hour", price=Decimal("40"), extra_minutes=60
    )
    services.discount_create(trainer=alice, code="TEN", amount_off=Decimal("10"))
    start = local_at(alice, 2, "10:00")
    r = book(alice_api, carol, pt, start, addons=[extra.pk], discount_code="ten")
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["price"] == {
        "base": "50.00",
        "addons": [{"name": "Extra hour", "price": "40.00"}],
        "discount": {"code": "TEN", "amount": "10.00"},
        "total": "80.00",
        "currency": "GBP",
        "deposit_due": "0.00",
        "pay_at_session": False,
    }
    booking = Booking.objects.get()
    assert booking.end - booking.start == timedelta(minutes=120)
    listed = alice_api.get("/api/v1/bookings/").json()["results"]
    assert [b["price"] for b in listed] == [body["price"]]
    assert alice_api.get(f"/api/v1/bookings/{body['id']}/").json()["price"] == body["price"]


def test_booking_refusals(alice_api, alice, bob, pt, carol):
    other = make_service(alice, name="Other")
    foreign = services.addon_create(service=other, name="Towel", price=Decimal("2"))
    bobs = services.addon_create(service=make_service(bob), name="Bob's", price=Decimal("2"))
    start = local_at(alice, 2, "10:00")
    for addons in ([foreign.pk], [bobs.pk], [0], ["x"]):
        r = book(alice_api, carol, pt, start, addons=addons)
        assert r.status_code == 400 and "addons" in r.json(), (addons, r.json())
    r = book(alice_api, carol, pt, start, discount_code="NOPE")
    assert r.status_code == 409 and r.json()["code"] == "discount_invalid"
    r = book(alice_api, carol, pt, start, pay_at_session=True)
    assert r.status_code == 400 and "pay_at_session" in r.json()
    assert not Booking.objects.exists() and not Session.objects.exists()


def test_slots_fit_the_chosen_addons(alice_api, alice, pt, dave):
    extra = services.addon_create(service=pt, name="Extra", price=Decimal("5"), extra_minutes=30)
    services.booking_create(
        trainer=alice, client=dave, service=pt, start=local_at(alice, 2, "11:00")
    )
    day = local_at(alice, 2, "00:00").date().isoformat()
    ten = local_at(alice, 2, "10:00").isoformat()

    def starts(**params):
        r = alice_api.get("/api/v1/slots/", {"service": pt.pk, "from": day, "to": day, **params})
        assert r.status_code == 200, r.json()
        return [s["start"] for s in r.json()["slots"]]

    assert ten in starts()
    assert ten not in starts(addons=str(extra.pk))
    bad = alice_api.get("/api/v1/slots/", {"service": pt.pk, "addons": "1;2"})
    assert bad.status_code == 400 and "addons" in bad.json()


@pytest.mark.parametrize("size", [1, 6])
def test_addon_list_queries_are_fixed(alice_api, pt, size, django_assert_num_queries):
    for i in range(size):
        services.addon_create(service=pt, name=f"Extra {i}", price=Decimal("5"))
    # auth + the service + count + page
    with django_assert_num_queries(4):
        assert len(alice_api.get(f"/api/v1/services/{pt.pk}/addons/").json()["results"]) == size


@pytest.mark.parametrize("size", [1, 4])
def test_public_services_with_addons_queries_are_fixed(
    anon_api, alice, size, django_assert_num_queries
):
    for i in range(size):
        service = make_service(alice, name=f"S{i}")
        services.addon_create(service=service, name="Towel", price=Decimal("1"))
    anon_api.get("/api/v1/public/alice/services")  # the page's settings row exists now
    with django_assert_num_queries(4):
        body = anon_api.get("/api/v1/public/alice/services").json()
    assert [len(s["addons"]) for s in body] == [1] * size
