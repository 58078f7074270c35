"""Plan limits: each guard in the writers' transactions, the refusal's shape on the API and
the page, and nothing at all while plans are off (the self-hosted default)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from trainerhub.clients import services as client_services
from trainerhub.clients.models import Client
from trainerhub.core.errors import Conflict
from trainerhub.core.tests.factories import make_booking, make_client, make_service
from trainerhub.plans import services
from trainerhub.plans.models import Subscription
from trainerhub.plans.tests.conftest import make_plan
from trainerhub.scheduling import services as scheduling_services
from trainerhub.scheduling.models import Booking, Service


def _soon(days: int) -> object:
    return timezone.now().replace(microsecond=0, second=0, minute=0) + timedelta(days=days)


def test_without_plans_enabled_nothing_is_limited(alice, free_plan):
    for n in range(12):
        make_client(alice, first_name=f"C{n}")
    assert Client.objects.filter(trainer=alice).count() == 12
    assert services.feature_enabled(alice, "sms") is True


def test_active_clients_limit_names_the_limit(alice, plans_on, free_plan):
    for n in range(10):
        make_client(alice, first_name=f"C{n}")
    with pytest.raises(Conflict) as refused:
        make_client(alice, first_name="Eleventh")
    assert refused.value.code == "plan_limit"
    assert refused.value.extra["limit"] == "active_clients"
    assert refused.value.extra["allowed"] == 10
    assert "allows 10 active clients" in refused.value.detail
    assert "/plans/" in refused.value.detail
    assert Client.objects.filter(trainer=alice).count() == 10


def test_archived_clients_free_a_place_and_restoring_takes_one(alice, plans_on, free_plan):
    clients = [make_client(alice, first_name=f"C{n}") for n in range(10)]
    client_services.client_archive(client=clients[0])
    make_client(alice, first_name="New")
    with pytest.raises(Conflict):
        client_services.client_restore(client=clients[0])
    with pytest.raises(Conflict):
        client_services.client_update(client=clients[0], status="active")
    clients[0].refresh_from_db()
    assert clients[0].status == Client.Status.ARCHIVED
    # An archived client can always be added (it takes no place).
    make_client(alice, first_name="Old", status="archived")


def test_services_limit_counts_active_services(alice, plans_on, free_plan):
    make_service(alice, name="One")
    second = make_service(alice, name="Two")
    with pytest.raises(Conflict) as refused:
        make_service(alice, name="Three")
    assert refused.value.extra["limit"] == "services"
    scheduling_services.service_deactivate(service=second)
    make_service(alice, name="Three")
    with pytest.raises(Conflict):
        scheduling_services.service_update(service=second, is_active=True)
    assert Service.objects.filter(trainer=alice, is_active=True).count() == 2


def test_bookings_per_month_counts_cancelled_ones_too(alice, plans_on, free_plan):
    client = make_client(alice)
    service = make_service(alice)
    booked = [
        make_booking(client, _soon(2) + timedelta(hours=2 * n), service=service) for n in range(5)
    ]
    scheduling_services.booking_cancel(booking=booked[0], actor="trainer", reason="")
    with pytest.raises(Conflict) as refused:
        make_booking(client, _soon(3), service=service)
    assert refused.value.extra["limit"] == "bookings_per_month"
    assert Booking.objects.filter(trainer=alice).count() == 5


def test_no_plan_at_all_refuses_new_things(alice, plans_on):
    with pytest.raises(Conflict) as refused:
        make_client(alice)
    assert "Pick a plan" in refused.value.detail


def test_an_active_subscription_gives_its_plan(alice, plans_on, free_plan, pro_plan):
    Subscription.objects.create(
        trainer=alice,
        plan=pro_plan,
        paddle_subscription_id="sub_a",
        status="active",
        paddle_updated_at=timezone.now(),
    )
    for n in range(11):
        make_client(alice, first_name=f"C{n}")
    assert Client.objects.filter(trainer=alice).count() == 11
    assert services.feature_enabled(alice, "sms") is True
    assert services.feature_enabled(alice, "custom_branding") is False


def test_another_trainers_clients_do_not_count(alice, bob, plans_on, free_plan):
    for n in range(10):
        make_client(bob, first_name=f"B{n}")
    make_client(alice)


def test_api_refusal_is_a_409_with_the_limit(alice, alice_api, plans_on):
    make_plan("Tiny", is_default=True, max_active_clients=0)
    response = alice_api.post("/api/v1/clients/", {"first_name": "Sam"}, format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "plan_limit"
    assert body["limit"] == "active_clients"
    assert body["billing_url"] == "/plans/"
    assert "Tiny" in body["detail"]
    assert not Client.objects.filter(trainer=alice).exists()


def test_page_refusal_is_a_form_message_with_the_billing_link(alice, client, plans_on):
    make_plan("Tiny", is_default=True, max_active_clients=0)
    client.force_login(alice)
    response = client.post(
        "/clients/new/", {"first_name": "Sam", "preferred_channel": "email", "status": "active"}
    )
    assert response.status_code == 200
    assert "allows 0 active clients" in response.content.decode()
    assert "/plans/" in response.content.decode()
    assert not Client.objects.filter(trainer=alice).exists()
