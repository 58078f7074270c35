"""The packages API: catalogue, selling, client packages, ledger, adjust; 400 by field, 409
{code, detail}, 404 for another trainer's ids, a fixed number of queries per list."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
import time_machine

from conftest import api_client_for
from trainerhub.core import events
from trainerhub.core.tests.factories import make_client
from trainerhub.packages import services
from trainerhub.packages.tests.factories import make_package, sell

NOON = datetime.fromisoformat("2026-03-02T12:00:00+00:00")


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOON, tick=False):
        yield


def test_create_get_patch_and_delete_deactivates(alice_api, pt):
    answer = alice_api.post(
        "/api/v1/packages/",
        {
            "name": "Five PT",
            "sessions_count": 5,
            "price": "250.00",
            "currency": "GBP",
            "valid_days": 60,
            "services": [pt.pk],
        },
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["price"] == "250.00"
    assert body["services"] == [pt.pk]
    assert body["is_active"] is True
    pk = body["id"]
    assert alice_api.get(f"/api/v1/packages/{pk}/").json()["name"] == "Five PT"
    patched = alice_api.patch(f"/api/v1/packages/{pk}/", {"valid_days": None}, format="json")
    assert patched.status_code == 200
    assert patched.json()["valid_days"] is None
    assert alice_api.delete(f"/api/v1/packages/{pk}/").status_code == 204
    assert alice_api.get(f"/api/v1/packages/{pk}/").json()["is_active"] is False


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("sessions_count", 0),
        ("sessions_count", 501),
        ("price", "-1.00"),
        ("price", "1e12"),
        ("currency", "XYZ"),
        ("valid_days", 0),
        ("name", ""),
    ],
)
def test_bad_package_input_is_a_400_by_field(alice_api, field, value):
    data = {"name": "P", "sessions_count": 5, "price": "10.00", "currency": "GBP"}
    answer = alice_api.post("/api/v1/packages/", {**data, field: value}, format="json")
    assert answer.status_code == 400
    assert field in answer.json()


def test_another_trainers_service_is_unknown(alice_api, bob, pt):
    from trainerhub.core.tests.factories import make_service

    bobs = make_service(bob)
    data = {"name": "P", "sessions_count": 5, "price": "10.00", "services": [bobs.pk]}
    answer = alice_api.post("/api/v1/packages/", data, format="json")
    assert answer.status_code == 400
    assert answer.json() == {"services": ["Unknown service."]}


def test_sell_with_a_payment_emits_the_event_and_answers_the_client_package(
    alice_api, chris, monkeypatch
):
    package = make_package(chris.trainer)
    seen = []

    def listener(**payload):
        seen.append(payload)

    handlers = events._handlers["client_package.sold"]
    monkeypatch.setitem(events._handlers, "client_package.sold", [*handlers, listener])
    answer = alice_api.post(
        f"/api/v1/packages/{package.pk}/sell",
        {"client": chris.pk, "payment": {"amount": "500.00", "method": "cash"}},
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body == {
        "id": body["id"],
        "client": chris.pk,
        "package": package.pk,
        "name": "Ten sessions",
        "sessions_total": 10,
        "sessions_remaining": 10,
        "purchased_at": "2026-03-02T12:00:00Z",
        "expires_on": "2026-05-31",
        "status": "active",
        "price": "500.00",
        "currency": "GBP",
        "services": [],
    }
    payment = seen[-1]["payment"]
    assert payment["amount"] == Decimal("500.00")
    assert payment["method"] == "cash"
    assert payment["paid_at"] == NOON
    assert seen[-1]["client_package"].pk == body["id"]


def test_sell_without_payment(alice_api, chris):
    package = make_package(chris.trainer)
    answer = alice_api.post(f"/api/v1/packages/{package.pk}/sell", {"client": chris.pk})
    assert answer.status_code == 201


@pytest.mark.parametrize(
    ("payment", "field"),
    [
        ({"amount": "0", "method": "cash"}, "amount"),
        ({"amount": "-5", "method": "cash"}, "amount"),
        ({"amount": "10", "method": "bitcoin"}, "method"),
        ({"amount": "10", "method": "cash", "paid_at": "2026-03-01T10:00"}, "paid_at"),
    ],
)
def test_bad_payment_is_a_400_by_field(alice_api, chris, payment, field):
    package = make_package(chris.trainer)
    answer = alice_api.post(
        f"/api/v1/packages/{package.pk}/sell",
        {"client": chris.pk, "payment": payment},
        format="json",
    )
    assert answer.status_code == 400
    assert field in answer.json()["payment"]
    assert not chris.client_packages.exists()


def test_selling_to_another_trainers_client_or_an_inactive_package(alice_api, bob, chris):
    package = make_package(chris.trainer)
    bobs_client = make_client(bob, "Bea")
    answer = alice_api.post(f"/api/v1/packages/{package.pk}/sell", {"client": bobs_client.pk})
    assert answer.status_code == 400
    assert answer.json() == {"client": ["Unknown client."]}
    services.package_deactivate(package=package)
    answer = alice_api.post(f"/api/v1/packages/{package.pk}/sell", {"client": chris.pk})
    assert answer.status_code == 400
    assert answer.json() == {"package": ["This package is no longer on sale."]}


def test_another_trainers_objects_are_404(bob_api, chris):
    cp = sell(chris)
    for url in (
        f"/api/v1/packages/{cp.package_id}/",
        f"/api/v1/client-packages/{cp.pk}/",
        f"/api/v1/client-packages/{cp.pk}/ledger",
        f"/api/v1/clients/{chris.pk}/packages/",
    ):
        assert bob_api.get(url).status_code == 404, url
    assert bob_api.post(f"/api/v1/packages/{cp.package_id}/sell", {"client": 1}).status_code == 404
    adjust = {"sessions": 1, "reason": "x"}
    assert bob_api.post(f"/api/v1/client-packages/{cp.pk}/adjust", adjust).status_code == 404
    assert bob_api.patch(f"/api/v1/packages/{cp.package_id}/", {}).status_code == 404
    assert bob_api.delete(f"/api/v1/packages/{cp.package_id}/").status_code == 404
    assert bob_api.get("/api/v1/client-packages/").json()["results"] == []


def test_adjust_and_ledger(alice_api, chris):
    cp = sell(chris)
    answer = alice_api.post(
        f"/api/v1/client-packages/{cp.pk}/adjust",
        {"sessions": -3, "reason": "Sessions from the old tracker"},
        format="json",
    )
    assert answer.status_code == 201
    assert answer.json()["sessions"] == -3
    ledger = alice_api.get(f"/api/v1/client-packages/{cp.pk}/ledger").json()["results"]
    assert [(e["kind"], e["sessions"], e["booking"]) for e in ledger] == [
        ("grant", 10, None),
        ("adjust", -3, None),
    ]
    assert ledger[1]["reason"] == "Sessions from the old tracker"
    assert ledger[1]["created_at"] == "2026-03-02T12:00:00Z"
    assert alice_api.get(f"/api/v1/client-packages/{cp.pk}/").json()["sessions_remaining"] == 7


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"sessions": 2, "reason": ""}, "reason"),
        ({"sessions": 2}, "reason"),
        ({"sessions": 0, "reason": "x"}, "sessions"),
        ({"sessions": -11, "reason": "x"}, "sessions"),
        ({"sessions": "two", "reason": "x"}, "sessions"),
    ],
)
def test_bad_adjust_is_a_400_by_field(alice_api, chris, data, field):
    cp = sell(chris)
    answer = alice_api.post(f"/api/v1/client-packages/{cp.pk}/adjust", data, format="json")
    assert answer.status_code == 400
    assert field in answer.json()
    assert services.balance_of(cp) == 10


def test_list_filters_by_client_and_status(alice_api, chris):
    other = make_client(chris.trainer, "Dana")
    used = sell(chris)
    services.client_package_adjust(client_package=used, sessions=-10, reason="Used elsewhere")
    active = sell(chris)
    theirs = sell(other)

    def ids(query):
        answer = alice_api.get(f"/api/v1/client-packages/?{query}")
        assert answer.status_code == 200, answer.json()
        return {row["id"] for row in answer.json()["results"]}

    assert ids("") == {used.pk, active.pk, theirs.pk}
    assert ids(f"client={chris.pk}") == {used.pk, active.pk}
    assert ids("status=used_up") == {used.pk}
    assert ids(f"status=active&client={chris.pk}") == {active.pk}
    assert alice_api.get("/api/v1/client-packages/?status=lost").status_code == 400
    assert alice_api.get("/api/v1/client-packages/?client=abc").status_code == 400
    of_client = alice_api.get(f"/api/v1/clients/{other.pk}/packages/").json()["results"]
    assert [row["id"] for row in of_client] == [theirs.pk]


def test_expired_and_refunded_statuses(alice_api, chris):
    cp = sell(chris)
    refunded = sell(chris)
    services.client_package_refund(client_package=refunded)
    assert alice_api.get(f"/api/v1/client-packages/{refunded.pk}/").json()["status"] == "refunded"
    # The last day is 31 May in London; 1 June is past it (a fresh token: time moved on).
    with time_machine.travel("2026-05-31T22:30:00+00:00", tick=False):
        api = api_client_for(chris.trainer)
        assert api.get(f"/api/v1/client-packages/{cp.pk}/").json()["status"] == "active"
    with time_machine.travel("2026-05-31T23:30:00+00:00", tick=False):
        api = api_client_for(chris.trainer)
        assert api.get(f"/api/v1/client-packages/{cp.pk}/").json()["status"] == "expired"


@pytest.mark.parametrize("url", ["/api/v1/packages/", "/api/v1/client-packages/"])
def test_lists_take_a_fixed_number_of_queries(alice_api, chris, pt, url, django_assert_num_queries):
    def count(n):
        for _ in range(n):
            package = make_package(chris.trainer, services=[pt.pk])
            sell(chris, package)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert alice_api.get(url).status_code == 200
        return len(ctx.captured_queries)

    assert count(1) == count(5)
