"""Prices on the public API: the same verdicts as the trainer's API (add-ons, codes, pay at
session), the price snapshot in the answer, and slots that fit the chosen add-ons."""

from __future__ import annotations

from decimal import Decimal

import pytest

from trainerhub.portal.tests.conftest import day_at, make_service, payload
from trainerhub.scheduling import services
from trainerhub.scheduling.models import Booking, Session

pytestmark = pytest.mark.django_db


def url(what: str) -> str:
    return f"/api/v1/public/alice/{what}"


def post(api, body):
    return api.post(url("bookings"), body, format="json")


@pytest.fixture
def shoot(alice, hours):
    service = make_service(
        alice,
        name="Shoot",
        deposit_kind="amount",
        deposit_value=Decimal("20"),
        allow_pay_at_session=True,
    )
    film = services.addon_create(service=service, name="Film look", price=Decimal("15"))
    hour = services.addon_create(
        service=service, name="Extra hour", price=Decimal("45"), extra_minutes=60
    )
    services.addon_create(service=service, name="Retired", price=Decimal("1"), is_active=False)
    return service, film, hour


def test_services_list_their_active_addons(anon_api, shoot):
    _, film, hour = shoot
    body = anon_api.get(url("services")).json()
    assert body[0]["addons"] == [
        {"id": hour.pk, "name": "Extra hour", "price": "45.00", "extra_minutes": 60},
        {"id": film.pk, "name": "Film look", "price": "15.00", "extra_minutes": 0},
    ]
    assert (body[0]["deposit_kind"], body[0]["deposit_value"]) == ("amount", "20.00")
    assert body[0]["allow_pay_at_session"] is True


def test_public_booking_with_addons_code_and_pay_at_session(anon_api, alice, shoot):
    service, film, hour = shoot
    services.discount_create(trainer=alice, code="HELLO", percent_off=10)
    body = payload(
        service,
        day_at(2, 10),
        addons=[film.pk, hour.pk],
        discount_code="hello",
        pay_at_session=True,
    )
    r = anon_api.post(url("bookings"), body, format="json")
    assert r.status_code == 201, r.json()
    assert r.json()["price"] == {
        "base": "50.00",
        "addons": [
            {"name": "Extra hour", "price": "45.00"},
            {"name": "Film look", "price": "15.00"},
        ],
        "discount": {"code": "HELLO", "amount": "11.00"},
        "total": "99.00",
        "currency": "GBP",
        "deposit_due": "20.00",
        "pay_at_session": True,
    }
    booking = Booking.objects.get()
    assert (booking.end - booking.start).total_seconds() == 2 * 3600


def test_public_refusals_match_the_trainer_api(anon_api, alice, bob, shoot, service):
    shoot_service, _, _ = shoot
    foreign = services.addon_create(service=service, name="Towel", price=Decimal("1"))
    start = day_at(2, 10)
    r = anon_api.post(
        url("bookings"), payload(shoot_service, start, addons=[foreign.pk]), format="json"
    )
    assert r.status_code == 400 and "addons" in r.json()
    r = anon_api.post(
        url("bookings"), payload(shoot_service, start, discount_code="NOPE"), format="json"
    )
    assert r.status_code == 409 and r.json()["code"] == "discount_invalid"
    r = post(anon_api, payload(service, start, pay_at_session=True))
    assert r.status_code == 400 and "pay_at_session" in r.json()
    services.discount_create(trainer=alice, code="ONE", percent_off=50, max_uses=1)
    first = anon_api.post(
        url("bookings"), payload(shoot_service, start, discount_code="one"), format="json"
    )
    assert first.status_code == 201
    other = payload(shoot_service, day_at(3, 10), discount_code="ONE", email="dan@example.com")
    r = anon_api.post(url("bookings"), other, format="json")
    assert r.status_code == 409 and r.json()["code"] == "discount_used_up"
    assert Booking.objects.count() == 1 and Session.objects.count() == 1


def test_public_slots_fit_the_addons(anon_api, alice, shoot):
    service, _, hour = shoot
    day = day_at(2, 0).date().isoformat()
    services.booking_create(
        trainer=alice,
        client=services_client(alice),
        service=service,
        start=day_at(2, 11),
    )

    def starts(**params):
        r = anon_api.get(url("slots"), {"service": service.pk, "from": day, "to": day, **params})
        assert r.status_code == 200, r.json()
        return {s["start"][11:16] for s in r.json()["slots"]}

    assert "10:00" in starts()
    assert "10:00" not in starts(addons=str(hour.pk))
    assert "09:00" in starts(addons=str(hour.pk))


def services_client(trainer):
    from trainerhub.core.tests.factories import make_client

    return make_client(trainer, "Dave")


# --- the public booking page -------------------------------------------------------------


def _details(client, service, start, **extra):
    from trainerhub.portal.tests.conftest import form_data

    return client.post("/book/alice/details/", form_data(service, start, **extra))


def test_page_shows_addons_code_and_pay_at_session(client, alice, shoot):
    service, _, hour = shoot
    page = client.get(
        "/book/alice/details/", {"service": service.pk, "start": day_at(2, 10).isoformat()}
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="addons"' in html and "Film look" in html and 'name="discount_code"' in html
    assert 'name="pay_at_session"' in html and "/book/alice/price/" in html
    live = client.get(
        "/book/alice/price/", {"service": service.pk, "addons": [hour.pk], "discount_code": ""}
    )
    assert "95.00 GBP" in live.content.decode()


def test_page_books_with_addons_and_code(client, alice, shoot, settings):
    settings.PORTAL_MIN_FILL_SECONDS = 0
    service, film, _ = shoot
    services.discount_create(trainer=alice, code="HELLO", amount_off=Decimal("5"))
    extra = {"addons": [film.pk], "discount_code": "hello", "pay_at_session": "on"}
    review = _details(client, service, day_at(2, 10), **extra)
    assert review.status_code == 200 and "60.00 GBP" in review.content.decode()
    done = _details(client, service, day_at(2, 10), step="confirm", **extra)
    assert done.status_code == 302, done.content.decode()[:2000]
    booking = Booking.objects.get()
    assert (booking.price, booking.discount_code, booking.pay_at_session) == (
        Decimal("60.00"),
        "HELLO",
        True,
    )
    page = client.get(done["Location"]).content.decode()
    assert "Film look" in page and "60.00 GBP" in page


def test_page_refuses_a_wrong_code_next_to_the_field(client, alice, shoot):
    service, _, _ = shoot
    r = _details(client, service, day_at(2, 10), discount_code="NOPE")
    assert r.status_code == 400 and "This discount code is not valid." in r.content.decode()
    r = _details(client, service, day_at(2, 10), step="confirm", discount_code="NOPE")
    assert r.status_code == 400 and not Booking.objects.exists()
