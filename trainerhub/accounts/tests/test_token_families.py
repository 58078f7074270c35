"""An API sign-in's tokens end when it does: an access token stops at sign-out and at a
password change or reset (not up to 15 minutes later), and presenting a refresh token that was
already rotated away revokes its whole family (the newer refresh and access tokens too)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from trainerhub.accounts import services
from trainerhub.accounts.models import TokenFamily

pytestmark = pytest.mark.django_db

LOGIN = "/api/v1/auth/login"
REFRESH = "/api/v1/auth/refresh"
LOGOUT = "/api/v1/auth/logout"
ME = "/api/v1/me"


def sign_in(alice, password) -> dict[str, str]:
    response = APIClient().post(LOGIN, {"email": alice.email, "password": password})
    assert response.status_code == 200
    return response.json()


def me_status(access: str) -> int:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return api.get(ME).status_code


def refresh(raw: str):
    return APIClient().post(REFRESH, {"refresh": raw})


def test_sign_out_stops_the_access_token_at_once(alice, password):
    pair = sign_in(alice, password)
    other = sign_in(alice, password)  # another device's sign-in is left alone
    assert me_status(pair["access"]) == 200
    assert APIClient().post(LOGOUT, {"refresh": pair["refresh"]}).status_code == 205
    assert me_status(pair["access"]) == 401
    assert refresh(pair["refresh"]).status_code == 401
    assert me_status(other["access"]) == 200
    assert TokenFamily.objects.get(revoked_at__isnull=False).revoked_because == "logout"


def test_a_rotated_access_token_stops_at_sign_out_too(alice, password):
    first = sign_in(alice, password)
    second = refresh(first["refresh"]).json()
    assert me_status(second["access"]) == 200
    assert APIClient().post(LOGOUT, {"refresh": second["refresh"]}).status_code == 205
    assert (me_status(first["access"]), me_status(second["access"])) == (401, 401)


def test_a_password_change_stops_every_access_token(alice, password):
    pair = sign_in(alice, password)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {pair['access']}")
    changed = api.post(
        "/api/v1/me/password",
        {"old_password": password, "new_password": "another-long-passphrase-42"},
    )
    assert changed.status_code == 200
    assert me_status(pair["access"]) == 401
    assert refresh(pair["refresh"]).status_code == 401


def test_a_password_reset_stops_every_access_token(alice, password):
    pair = sign_in(alice, password)
    services.password_reset_completed(user=alice)
    assert me_status(pair["access"]) == 401
    assert refresh(pair["refresh"]).status_code == 401


def test_reusing_a_rotated_refresh_token_revokes_its_whole_family(alice, password):
    stolen = sign_in(alice, password)
    owner = refresh(stolen["refresh"]).json()  # the owner rotated; the thief kept the old one
    assert me_status(owner["access"]) == 200
    reuse = refresh(stolen["refresh"])
    assert reuse.status_code == 401
    # The newer tokens of that family stop too; the owner signs in again.
    assert me_status(owner["access"]) == 401
    assert refresh(owner["refresh"]).status_code == 401
    assert TokenFamily.objects.get().revoked_because == "reuse"
    assert me_status(sign_in(alice, password)["access"]) == 200


def test_a_forged_or_garbage_refresh_token_revokes_nothing(alice, password):
    pair = sign_in(alice, password)
    assert refresh("not-a-token").status_code == 401
    assert refresh(pair["refresh"][:-4] + "AAAA").status_code == 401
    assert me_status(pair["access"]) == 200


def test_a_client_accounts_api_sign_in_is_a_family_too(alice):
    from trainerhub.portal.tests.conftest import make_client_user

    user = make_client_user("cara@example.com", "a-long-client-passphrase")
    response = APIClient().post(
        "/api/v1/client/login", {"email": user.email, "password": "a-long-client-passphrase"}
    )
    assert response.status_code == 200
    pair = response.json()
    assert TokenFamily.objects.filter(user=user).count() == 1
    assert APIClient().post(LOGOUT, {"refresh": pair["refresh"]}).status_code == 205
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {pair['access']}")
    assert api.get("/api/v1/client/me").status_code == 401
