"""Nobody reaches another account: `me` is always the caller, the admin is staff-only, and
client accounts never reach trainer pages or endpoints."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from trainerhub.accounts.tests.factories import PASSWORD
from trainerhub.core.api import UNKNOWN_FIELD


def bearer(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    return api


@pytest.mark.django_db
def test_me_is_always_the_caller(alice_api, bob_api):
    assert alice_api.get("/api/v1/me").json()["email"] == "alice@example.com"
    assert bob_api.get("/api/v1/me").json()["email"] == "bob@example.com"


@pytest.mark.django_db
def test_bob_cannot_change_alices_profile_through_me(bob_api, alice, bob):
    response = bob_api.patch(
        "/api/v1/me", {"id": alice.pk, "email": alice.email, "name": "Hacked"}, format="json"
    )
    # An id (or an email: changing it has its own path) in the body is refused, and nothing
    # of the request is applied.
    assert response.status_code == 400
    assert response.json() == {"id": [UNKNOWN_FIELD], "email": [UNKNOWN_FIELD]}
    alice.refresh_from_db()
    bob.refresh_from_db()
    assert alice.name == "Alice Archer"
    assert bob.name != "Hacked"
    assert bob.email == "bob@example.com"


@pytest.mark.django_db
def test_bob_cannot_change_alices_password(bob_api, alice, bob):
    response = bob_api.post(
        "/api/v1/me/password",
        {"old_password": PASSWORD, "new_password": "bob-chose-this-one", "user": alice.pk},
        format="json",
    )
    # Naming another account is refused as an unknown field; neither password changes.
    assert response.status_code == 400
    assert response.json() == {"user": [UNKNOWN_FIELD]}
    alice.refresh_from_db()
    bob.refresh_from_db()
    assert alice.check_password(PASSWORD)
    assert bob.check_password(PASSWORD)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/api/v1/users/{pk}", "/api/v1/me/{pk}", "/api/v1/users/{pk}/password"]
)
def test_there_is_no_path_to_another_account_by_id(bob_api, alice, path):
    assert bob_api.get(path.format(pk=alice.pk)).status_code == 404
    assert bob_api.patch(path.format(pk=alice.pk), {"name": "x"}, format="json").status_code == 404


@pytest.mark.django_db
def test_the_profile_page_shows_only_the_callers_profile(client, alice, bob):
    client.force_login(bob)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "bob@example.com" in page
    assert "alice@example.com" not in page
    client.post(reverse("accounts:profile") + f"?user={alice.pk}", {"name": "Hacked"})
    alice.refresh_from_db()
    assert alice.name == "Alice Archer"


@pytest.mark.django_db
def test_the_account_admin_is_staff_only(client, alice, bob):
    url = reverse("admin:accounts_user_change", args=[alice.pk])
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert "/admin/login/" in anonymous["Location"]
    client.force_login(bob)
    signed_in = client.get(url)
    assert signed_in.status_code == 302
    assert "/admin/login/" in signed_in["Location"]
    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "deactivate", "_selected_action": [alice.pk]},
    )
    alice.refresh_from_db()
    assert alice.is_active


# --- client accounts --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/api/v1/me"), ("patch", "/api/v1/me"), ("post", "/api/v1/me/password")],
)
def test_a_client_account_is_refused_by_trainer_endpoints(client_user, method, path):
    response = getattr(bearer(client_user), method)(path, {}, format="json")
    assert response.status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["accounts:profile", "accounts:password_change"])
def test_a_client_account_never_sees_trainer_pages(client, client_user, name):
    client.force_login(client_user)
    assert client.get(reverse(name)).status_code == 404
    assert client.post(reverse(name), {"name": "x"}).status_code == 404


@pytest.mark.django_db
def test_a_client_account_never_sees_the_trainer_home(client, client_user):
    client.force_login(client_user)
    response = client.get("/")
    # Sent to their own appointments, never shown the trainer's dashboard.
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:my_home")
