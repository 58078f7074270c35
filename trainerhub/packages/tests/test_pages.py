"""The trainer's package pages: catalogue, policy, sell, client package with ledger, adjust,
refund, the card on the client page; messages next to fields, 404 for another trainer's."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trainerhub.core.tests.factories import make_client
from trainerhub.packages import services
from trainerhub.packages.models import ClientPackage, Package
from trainerhub.packages.tests.factories import make_package, sell

NOON = datetime.fromisoformat("2026-03-02T12:00:00+00:00")


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOON, tick=False):
        yield


def test_add_a_package_from_the_catalogue(alice_web, pt):
    answer = alice_web.post(
        "/packages/",
        {
            "name": "Five PT",
            "sessions_count": "5",
            "price": "250",
            "currency": "GBP",
            "valid_days": "",
            "services": [str(pt.pk)],
        },
    )
    assert answer.status_code == 302
    package = Package.objects.get()
    assert (package.name, package.sessions_count, package.valid_days) == ("Five PT", 5, None)
    assert list(package.services.all()) == [pt]
    page = alice_web.get("/packages/").content.decode()
    assert "Five PT" in page and "never expires" in page


def test_bad_input_is_a_message_next_to_the_field(alice_web):
    answer = alice_web.post(
        "/packages/", {"name": "X", "sessions_count": "501", "price": "-1", "currency": "XYZ"}
    )
    assert answer.status_code == 400
    form = answer.context["form"]
    assert set(form.errors) == {"sessions_count", "price", "currency"}
    assert not Package.objects.exists()


def test_policy_is_on_by_default_and_saved(alice_web, alice):
    assert services.package_settings_for(alice).late_cancel_forfeits is True
    assert services.package_settings_for(alice).no_show_forfeits is True
    assert alice_web.post("/packages/policy/", {"no_show_forfeits": "on"}).status_code == 302
    policy = services.package_settings_for(alice)
    assert (policy.late_cancel_forfeits, policy.no_show_forfeits) == (False, True)


def test_sell_from_the_client_page_with_a_cash_payment(alice_web, chris):
    package = make_package(chris.trainer)
    page = alice_web.get(f"/clients/{chris.pk}/").content.decode()
    assert f"/packages/sell/?client={chris.pk}" in page
    assert alice_web.get(f"/packages/sell/?client={chris.pk}").status_code == 200
    answer = alice_web.post(
        "/packages/sell/",
        {
            "package": package.pk,
            "client": chris.pk,
            "record_payment": "on",
            "amount": "500",
            "method": "cash",
        },
    )
    assert answer.status_code == 302
    assert answer["Location"] == f"/clients/{chris.pk}/"
    cp = ClientPackage.objects.get()
    assert services.balance_of(cp) == 10
    page = alice_web.get(f"/clients/{chris.pk}/").content.decode()
    assert "10 of 10 left" in page
    assert 'data-kind="grant"' in page


def test_sell_asks_for_the_amount_when_a_payment_is_recorded(alice_web, chris):
    package = make_package(chris.trainer)
    answer = alice_web.post(
        "/packages/sell/",
        {"package": package.pk, "client": chris.pk, "record_payment": "on", "method": "cash"},
    )
    assert answer.status_code == 400
    assert "amount" in answer.context["form"].errors
    assert not ClientPackage.objects.exists()


def test_sell_without_a_payment(alice_web, chris):
    package = make_package(chris.trainer)
    answer = alice_web.post("/packages/sell/", {"package": package.pk, "client": chris.pk})
    assert answer.status_code == 302


def test_adjust_needs_a_reason_and_cannot_go_below_zero(alice_web, chris):
    cp = sell(chris)
    url = f"/packages/sold/{cp.pk}/"
    answer = alice_web.post(url, {"sessions": "-2", "reason": ""})
    assert answer.status_code == 400
    assert "reason" in answer.context["form"].errors
    answer = alice_web.post(url, {"sessions": "-11", "reason": "Too many"})
    assert answer.status_code == 400
    assert answer.context["form"].errors["sessions"] == [
        "Only 10 credit(s) left: the balance cannot go below 0."
    ]
    assert alice_web.post(url, {"sessions": "-2", "reason": "Old tracker"}).status_code == 302
    page = alice_web.get(url).content.decode()
    assert "8 of 10 credits left" in page and "Old tracker" in page


def test_refund_takes_the_free_credits(alice_web, chris):
    cp = sell(chris)
    assert alice_web.post(f"/packages/sold/{cp.pk}/refund/").status_code == 302
    assert services.balance_of(cp) == 0
    assert "Refunded" in alice_web.get(f"/packages/sold/{cp.pk}/").content.decode()


def test_another_trainers_pages_are_404(client, bob, chris):
    cp = sell(chris)
    client.force_login(bob)
    for url in (f"/packages/{cp.package_id}/", f"/packages/sold/{cp.pk}/"):
        assert client.get(url).status_code == 404
    for url in (f"/packages/{cp.package_id}/toggle/", f"/packages/sold/{cp.pk}/refund/"):
        assert client.post(url).status_code == 404
    answer = client.post("/packages/sell/", {"package": cp.package_id, "client": chris.pk})
    assert answer.status_code == 400
    assert not ClientPackage.objects.filter(trainer=bob).exists()


def test_edit_and_stop_selling(alice_web, alice):
    package = make_package(alice)
    answer = alice_web.post(
        f"/packages/{package.pk}/",
        {"name": "Ten PT", "sessions_count": "10", "price": "450", "currency": "GBP"},
    )
    assert answer.status_code == 302
    package.refresh_from_db()
    assert (package.name, package.valid_days, str(package.price)) == ("Ten PT", None, "450.00")
    alice_web.post(f"/packages/{package.pk}/toggle/")
    package.refresh_from_db()
    assert package.is_active is False


@pytest.mark.parametrize("page", ["home", "client"])
def test_pages_take_a_fixed_number_of_queries(alice_web, chris, pt, page):
    url = "/packages/" if page == "home" else f"/clients/{chris.pk}/"
    alice_web.get(url)  # the first visit creates the credit policy's row

    def count(n):
        for _ in range(n):
            cp = sell(chris, make_package(chris.trainer, services=[pt.pk]))
            services.client_package_adjust(client_package=cp, sessions=-1, reason="x")
        with CaptureQueriesContext(connection) as ctx:
            assert alice_web.get(url).status_code == 200
        return len(ctx.captured_queries)

    assert count(1) == count(4)


def test_client_page_of_a_client_without_packages(alice_web, alice):
    other = make_client(alice, "Nadia")
    assert "No package bought yet." in alice_web.get(f"/clients/{other.pk}/").content.decode()
