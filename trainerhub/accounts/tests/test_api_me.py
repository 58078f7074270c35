"""GET/PATCH /api/v1/me and POST /api/v1/me/password."""

import pytest

from trainerhub.accounts.services import SLUG_TAKEN
from trainerhub.accounts.tests.factories import PASSWORD
from trainerhub.core.api import UNKNOWN_FIELD

ME = "/api/v1/me"
PASSWORD_URL = "/api/v1/me/password"


@pytest.mark.django_db
def test_me_shows_the_caller(alice_api):
    body = alice_api.get(ME).json()
    assert body["email"] == "alice@example.com"
    assert body["timezone"] == "Europe/London"
    assert "password" not in body


@pytest.mark.django_db
def test_patch_me_changes_every_profile_field(alice_api, alice):
    changes = {
        "name": "Alice A.",
        "business_name": "Archer Strength",
        "slug": "archer-strength",
        "timezone": "Asia/Tokyo",
        "phone": "+1 212 555 0123",
        "bio": "Strength coach.",
        "currency": "JPY",
    }
    response = alice_api.patch(ME, changes, format="json")
    assert response.status_code == 200, response.json()
    alice.refresh_from_db()
    for field, value in changes.items():
        if field != "phone":
            assert getattr(alice, field) == value
    assert alice.phone == "+12125550123"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"slug": "bob"}, "slug"),
        ({"slug": "Not A Slug!"}, "slug"),
        ({"slug": "x" * 51}, "slug"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"timezone": []}, "timezone"),
        ({"currency": "XYZ"}, "currency"),
        ({"currency": 978}, "currency"),
        ({"phone": "call me"}, "phone"),
        ({"phone": "+44 1"}, "phone"),
        ({"name": ""}, "name"),
        ({"name": "x" * 10_000}, "name"),
        ({"bio": "x" * 10_000}, "bio"),
        ({"name": 123}, "name"),
        ({"business_name": {"a": 1}}, "business_name"),
    ],
)
def test_patch_me_bad_input_gives_400_under_the_field(alice_api, alice, bob, body, field):
    response = alice_api.patch(ME, body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    alice.refresh_from_db()
    assert alice.slug == "alice"


@pytest.mark.django_db
def test_patch_me_to_a_taken_slug_says_so(alice_api, bob):
    response = alice_api.patch(ME, {"slug": "bob"}, format="json")
    assert response.json() == {"slug": [SLUG_TAKEN]}


@pytest.mark.django_db
def test_patch_me_is_all_or_nothing(alice_api, alice):
    response = alice_api.patch(ME, {"name": "New Name", "timezone": "Nowhere"}, format="json")
    assert response.status_code == 400
    alice.refresh_from_db()
    assert alice.name == "Alice Archer"


@pytest.mark.django_db
def test_patch_me_refuses_fields_that_are_not_the_profile_by_name(alice_api, alice):
    body = {"is_staff": True, "is_superuser": True, "role": "client", "email": "x@example.com"}
    response = alice_api.patch(ME, {**body, "name": "Alice A."}, format="json")
    assert response.status_code == 400
    assert response.json() == {name: [UNKNOWN_FIELD] for name in body}
    alice.refresh_from_db()
    assert alice.name == "Alice Archer"
    assert (alice.is_staff, alice.is_superuser, alice.role) == (False, False, "trainer")
    assert alice.email == "alice@example.com"


@pytest.mark.django_db
@pytest.mark.parametrize("body", ['{"name": ', "nonsense", "[1]"])
def test_patch_me_malformed_json_gives_400(alice_api, body):
    response = alice_api.generic("PATCH", ME, body, content_type="application/json")
    assert response.status_code == 400


@pytest.mark.django_db
def test_me_needs_a_token(anon_api):
    assert anon_api.get(ME).status_code == 401
    assert anon_api.patch(ME, {"name": "x"}, format="json").status_code == 401
    assert anon_api.post(PASSWORD_URL, {}, format="json").status_code == 401


@pytest.mark.django_db
def test_a_bad_token_is_refused(anon_api):
    anon_api.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    assert anon_api.get(ME).status_code == 401


# --- password --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_password_change_through_the_api(alice_api, alice, anon_api):
    response = alice_api.post(
        PASSWORD_URL, {"old_password": PASSWORD, "new_password": "another-long-passphrase"}
    )
    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.check_password("another-long-passphrase")
    login = anon_api.post(
        "/api/v1/auth/login",
        {"email": "alice@example.com", "password": "another-long-passphrase"},
    )
    assert login.status_code == 200


@pytest.mark.django_db
def test_password_change_signs_out_older_refresh_tokens(alice_api, anon_api):
    tokens = anon_api.post(
        "/api/v1/auth/login", {"email": "alice@example.com", "password": PASSWORD}
    ).json()
    alice_api.post(PASSWORD_URL, {"old_password": PASSWORD, "new_password": "another-long-pass"})
    assert anon_api.post("/api/v1/auth/refresh", {"refresh": tokens["refresh"]}).status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"new_password": "another-long-passphrase"}, "old_password"),
        ({"old_password": PASSWORD}, "new_password"),
        ({"old_password": "wrong", "new_password": "another-long-passphrase"}, "old_password"),
        ({"old_password": PASSWORD, "new_password": "123"}, "new_password"),
        ({"old_password": PASSWORD, "new_password": "alice@example.com"}, "new_password"),
        ({"old_password": PASSWORD, "new_password": 12345678901234}, "new_password"),
        ({"old_password": [PASSWORD], "new_password": "another-long-pass"}, "old_password"),
        ({"old_password": PASSWORD, "new_password": "x" * 10_000}, "new_password"),
    ],
)
def test_password_change_bad_input_gives_400(alice_api, alice, body, field):
    response = alice_api.post(PASSWORD_URL, body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


@pytest.mark.django_db
def test_password_change_malformed_json_gives_400(alice_api):
    response = alice_api.generic("POST", PASSWORD_URL, "{", content_type="application/json")
    assert response.status_code == 400
