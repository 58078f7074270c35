"""A second client with an existing client's email (issue 18.20): refused with the existing
client named, on the page and in the API alike, unless the trainer says it is intended."""

from __future__ import annotations

import pytest
from django.urls import reverse

from trainerhub.clients import services
from trainerhub.clients.models import Client
from trainerhub.core.errors import Conflict

pytestmark = pytest.mark.django_db


@pytest.fixture
def dana(alice):
    return services.client_create(
        trainer=alice, first_name="Dana", last_name="Kim", email="dana@example.com"
    )


def test_service_refuses_any_case_of_the_address_and_allows_it_when_asked(alice, dana):
    with pytest.raises(Conflict) as refused:
        services.client_create(trainer=alice, first_name="Dan", email="DANA@example.com")
    assert refused.value.code == "duplicate_email"
    assert refused.value.extra == {"client": dana.pk}
    assert refused.value.detail.startswith("Dana Kim already has the email dana@example.com.")
    twin = services.client_create(
        trainer=alice, first_name="Dan", email="dana@example.com", allow_duplicate=True
    )
    assert twin.pk != dana.pk


def test_another_trainer_and_an_erased_client_do_not_count(alice, bob, dana):
    services.client_create(trainer=bob, first_name="Dana", email="dana@example.com")
    services.client_erase(client=dana, confirm=dana.full_name)
    services.client_create(trainer=alice, first_name="Dana", email="dana@example.com")
    assert Client.objects.filter(trainer=alice, email="dana@example.com").count() == 1


def test_changing_an_email_to_another_clients_is_refused(alice, dana):
    sam = services.client_create(trainer=alice, first_name="Sam", email="sam@example.com")
    with pytest.raises(Conflict):
        services.client_update(client=sam, email="dana@example.com")
    sam.refresh_from_db()
    assert sam.email == "sam@example.com"
    # Saving other fields of a client who already shares an address is not refused again.
    services.client_update(client=sam, email="dana@example.com", allow_duplicate=True)
    services.client_update(client=sam, goals="Run 10k")


def test_api_answers_409_with_the_existing_clients_id(alice_api, dana):
    body = {"first_name": "Dan", "email": "dana@example.com"}
    response = alice_api.post("/api/v1/clients/", body, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "duplicate_email"
    assert response.json()["client"] == dana.pk
    assert Client.objects.count() == 1
    response = alice_api.post("/api/v1/clients/", {**body, "allow_duplicate": True}, format="json")
    assert response.status_code == 201
    assert Client.objects.count() == 2


def test_page_warns_next_to_the_email_and_offers_to_save_anyway(client, alice, dana):
    client.force_login(alice)
    form = {
        "first_name": "Dan",
        "email": "dana@example.com",
        "preferred_channel": "email",
        "status": "active",
    }
    response = client.post(reverse("clients:create"), form)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dana Kim already has the email dana@example.com." in page
    assert reverse("clients:detail", args=[dana.pk]) in page
    assert "Save anyway" in page
    assert Client.objects.count() == 1
    response = client.post(reverse("clients:create"), {**form, "allow_duplicate": "on"})
    assert response.status_code == 302
    assert Client.objects.count() == 2
