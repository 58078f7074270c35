"""Every booking answer carries `payment_status` and `amount_due`, with the same verdict on
the trainer's API (detail, list, create) and the client's (manage link)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from trainerhub.billing import selectors, services
from trainerhub.billing.tests.factories import make_client, make_service, past_booking, pay
from trainerhub.core.tests.factories import local_at, open_every_day
from trainerhub.packages.tests.factories import make_package, sell
from trainerhub.scheduling import services as scheduling
from trainerhub.scheduling.purchase import Purchase

pytestmark = pytest.mark.django_db


def test_trainer_api_detail_and_list_agree(alice_api, alice):
    client = make_client(alice)
    booking = past_booking(client)
    pay(booking, "15.00")
    detail = alice_api.get(f"/api/v1/bookings/{booking.pk}/").json()
    assert (detail["payment_status"], detail["amount_due"]) == ("partial", "45.00")
    listed = alice_api.get("/api/v1/bookings/").json()["results"]
    assert [(b["payment_status"], b["amount_due"]) for b in listed] == [("partial", "45.00")]
    services.payment_record(
        trainer=alice, client=client, booking=booking, amount="45", method="cash"
    )
    detail = alice_api.get(f"/api/v1/bookings/{booking.pk}/").json()
    assert (detail["payment_status"], detail["amount_due"]) == ("paid", "0.00")


def test_create_answers_unpaid_with_the_price_due(alice_api, alice):
    open_every_day(alice)
    client = make_client(alice)
    service = make_service(alice, price=Decimal("40.00"), currency="GBP")
    answer = alice_api.post(
        "/api/v1/bookings/",
        {
            "client": client.pk,
            "service": service.pk,
            "start": local_at(alice, 3, "10:00").isoformat(),
        },
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    assert (answer.json()["payment_status"], answer.json()["amount_due"]) == ("unpaid", "40.00")


def test_a_booking_on_a_package_credit_is_covered_everywhere(alice_api, alice, anon_api):
    open_every_day(alice)
    client = make_client(alice)
    service = make_service(alice, price=Decimal("50.00"), currency="GBP")
    cp = sell(client, make_package(alice))
    booking = scheduling.booking_create(
        trainer=alice,
        client=client,
        service=service,
        start=local_at(alice, 3, "11:00"),
        purchase=Purchase(client_package=cp.pk),
    )
    assert selectors.booking_money(booking).status == "covered"
    detail = alice_api.get(f"/api/v1/bookings/{booking.pk}/").json()
    assert (detail["payment_status"], detail["amount_due"]) == ("covered", "0.00")
    booking.refresh_from_db()
    managed = anon_api.get(f"/api/v1/manage/{booking.manage_token}")
    assert managed.status_code == 200, managed.json()
    assert (managed.json()["payment_status"], managed.json()["amount_due"]) == ("covered", "0.00")


def test_booking_list_reads_money_in_a_fixed_number_of_queries(
    alice_api, alice, django_assert_num_queries
):
    client = make_client(alice)
    for d in (2, 3):
        pay(past_booking(client, days_ago=d), "10")
    alice_api.get("/api/v1/bookings/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        alice_api.get("/api/v1/bookings/")
    for d in range(4, 12):
        pay(past_booking(client, days_ago=d), "10")
    with django_assert_num_queries(len(small)):
        assert len(alice_api.get("/api/v1/bookings/").json()["results"]) == 10
