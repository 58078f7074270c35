"""Staff manage accounts in the admin: list, search, filter, add, activate, deactivate."""

import pytest
from django.urls import reverse

from trainerhub.accounts.models import User
from trainerhub.accounts.tests.factories import PASSWORD


@pytest.fixture
def staff_web(client, staff):
    client.force_login(staff)
    return client


@pytest.mark.django_db
def test_the_account_list_shows_and_searches_and_filters(staff_web, alice, bob, client_user):
    url = reverse("admin:accounts_user_changelist")
    page = staff_web.get(url)
    assert page.status_code == 200
    for email in ("alice@example.com", "bob@example.com", "carol@example.com"):
        assert email in page.content.decode()
    found = staff_web.get(url, {"q": "Archer"}).content.decode()
    assert "alice@example.com" in found
    assert "bob@example.com" not in found
    clients = staff_web.get(url, {"role__exact": "client"}).content.decode()
    assert "carol@example.com" in clients
    assert "alice@example.com" not in clients


@pytest.mark.django_db
def test_the_change_and_add_pages_render(staff_web, alice):
    assert staff_web.get(reverse("admin:accounts_user_change", args=[alice.pk])).status_code == 200
    assert staff_web.get(reverse("admin:accounts_user_add")).status_code == 200


@pytest.mark.django_db
def test_staff_can_add_an_account(staff_web):
    response = staff_web.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "frank@example.com",
            "name": "Frank",
            "role": "trainer",
            "timezone": "UTC",
            "password1": "frank-long-password",
            "password2": "frank-long-password",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert User.objects.get(email="frank@example.com").check_password("frank-long-password")


@pytest.mark.django_db
def test_deactivate_then_activate(staff_web, alice, bob, anon_api):
    url = reverse("admin:accounts_user_changelist")
    response = staff_web.post(
        url, {"action": "deactivate", "_selected_action": [alice.pk]}, follow=True
    )
    assert "1 account(s) deactivated." in response.content.decode()
    alice.refresh_from_db()
    bob.refresh_from_db()
    assert (alice.is_active, bob.is_active) == (False, True)
    login = {"email": "alice@example.com", "password": PASSWORD}
    assert anon_api.post("/api/v1/auth/login", login).status_code == 401

    staff_web.post(url, {"action": "activate", "_selected_action": [alice.pk]})
    alice.refresh_from_db()
    assert alice.is_active
    assert anon_api.post("/api/v1/auth/login", login).status_code == 200


@pytest.mark.django_db
def test_deactivating_signs_out_the_accounts_api_sessions(staff_web, alice, anon_api):
    tokens = anon_api.post(
        "/api/v1/auth/login", {"email": "alice@example.com", "password": PASSWORD}
    ).json()
    staff_web.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "deactivate", "_selected_action": [alice.pk]},
    )
    assert anon_api.post("/api/v1/auth/refresh", {"refresh": tokens["refresh"]}).status_code == 401
