"""POST /api/v1/auth/register, login, refresh and logout: success and every kind of bad input."""

import pytest
from rest_framework_simplejwt.tokens import RefreshToken

from trainerhub.accounts.models import User
from trainerhub.accounts.services import EMAIL_TAKEN

REGISTER = "/api/v1/auth/register"
LOGIN = "/api/v1/auth/login"
REFRESH = "/api/v1/auth/refresh"
LOGOUT = "/api/v1/auth/logout"

GOOD = {
    "email": "dana@example.com",
    "password": "a-long-enough-passphrase",
    "name": "Dana Drew",
    "timezone": "Europe/Paris",
}


def post_raw(api, url, body: str):
    return api.generic("POST", url, body, content_type="application/json")


# --- register ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_register_answers_201_with_the_user_and_no_password(anon_api):
    response = anon_api.post(REGISTER, {**GOOD, "business_name": "Drew Fitness"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["email"] == "dana@example.com"
    assert body["business_name"] == "Drew Fitness"
    assert body["timezone"] == "Europe/Paris"
    assert body["role"] == "trainer"
    assert "password" not in body
    assert User.objects.get(email="dana@example.com").password.startswith("argon2")


@pytest.mark.django_db
@pytest.mark.parametrize("email", ["alice@example.com", "Alice@Example.COM"])
def test_register_twice_gives_400_saying_the_address_is_taken(anon_api, alice, email):
    response = anon_api.post(REGISTER, {**GOOD, "email": email}, format="json")
    assert response.status_code == 400
    assert response.json() == {"email": [EMAIL_TAKEN]}


@pytest.mark.django_db
@pytest.mark.parametrize("missing", ["email", "password", "name", "timezone"])
def test_register_missing_fields_give_400_under_the_field(anon_api, missing):
    body = {k: v for k, v in GOOD.items() if k != missing}
    response = anon_api.post(REGISTER, body, format="json")
    assert response.status_code == 400
    assert missing in response.json()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", 123),
        ("email", ["a@b.c"]),
        ("timezone", []),
        ("timezone", {"name": "UTC"}),
        ("name", 123),
        ("name", None),
        ("password", 12345678901),
        ("business_name", False),
    ],
)
def test_register_wrong_types_give_400(anon_api, field, value):
    response = anon_api.post(REGISTER, {**GOOD, field: value}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not User.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("timezone", "Mars/Olympus_Mons"),
        ("name", "x" * 10_000),
        ("business_name", "x" * 10_000),
        ("email", "x" * 10_000 + "@example.com"),
        ("password", "x" * 10_000),
        ("password", "short"),
        ("email", "not an address"),
    ],
)
def test_register_bad_values_give_400_with_a_message(anon_api, field, value):
    response = anon_api.post(REGISTER, {**GOOD, field: value}, format="json")
    assert response.status_code == 400
    assert response.json()[field]


@pytest.mark.django_db
@pytest.mark.parametrize("url", [REGISTER, LOGIN, REFRESH, LOGOUT])
@pytest.mark.parametrize("body", ['{"email": ', "not json at all", "[1, 2", ""])
def test_malformed_json_gives_400_not_500(anon_api, url, body):
    response = post_raw(anon_api, url, body)
    assert response.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("url", [REGISTER, LOGIN, REFRESH, LOGOUT])
def test_a_json_array_instead_of_an_object_gives_400(anon_api, url):
    response = post_raw(anon_api, url, "[1, 2, 3]")
    assert response.status_code == 400


# --- login ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_login_gives_a_token_pair_that_opens_me(anon_api, alice, password):
    response = anon_api.post(LOGIN, {"email": "ALICE@example.com", "password": password})
    assert response.status_code == 200
    tokens = response.json()
    assert set(tokens) == {"access", "refresh"}
    anon_api.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    assert anon_api.get("/api/v1/me").json()["email"] == "alice@example.com"


@pytest.mark.django_db
def test_login_with_a_wrong_password_gives_401(anon_api, alice):
    response = anon_api.post(LOGIN, {"email": "alice@example.com", "password": "nope"})
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"


@pytest.mark.django_db
def test_login_of_an_unknown_address_gives_the_same_401(anon_api):
    response = anon_api.post(LOGIN, {"email": "nobody@example.com", "password": "nope"})
    assert response.status_code == 401


@pytest.mark.django_db
def test_login_of_a_deactivated_account_is_refused(anon_api, alice, password):
    alice.is_active = False
    alice.save()
    response = anon_api.post(LOGIN, {"email": "alice@example.com", "password": password})
    assert response.status_code == 401


@pytest.mark.django_db
def test_a_client_account_cannot_sign_in_to_the_trainer_api(anon_api, client_user, password):
    response = anon_api.post(LOGIN, {"email": client_user.email, "password": password})
    assert response.status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {},
        {"email": "alice@example.com"},
        {"password": "x"},
        {"email": 123, "password": "x"},
        {"email": "alice@example.com", "password": ["x"]},
        {"email": "x" * 10_000, "password": "x"},
        {"email": "alice@example.com", "password": "x" * 10_000},
    ],
)
def test_login_bad_input_gives_400_with_field_messages(anon_api, alice, body):
    response = anon_api.post(LOGIN, body, format="json")
    assert response.status_code == 400
    assert set(response.json()) <= {"email", "password"}


# --- refresh and logout --------------------------------------------------------------------


def login(api, password):
    return api.post(LOGIN, {"email": "alice@example.com", "password": password}).json()


@pytest.mark.django_db
def test_refresh_rotates_and_the_old_refresh_token_stops_working(anon_api, alice, password):
    tokens = login(anon_api, password)
    first = anon_api.post(REFRESH, {"refresh": tokens["refresh"]})
    assert first.status_code == 200
    assert set(first.json()) == {"access", "refresh"}
    assert first.json()["refresh"] != tokens["refresh"]
    again = anon_api.post(REFRESH, {"refresh": tokens["refresh"]})
    assert again.status_code == 401
    # Reuse of the old token ends the whole sign-in: its newer refresh token stops too
    # (test_token_families.py).
    assert anon_api.post(REFRESH, {"refresh": first.json()["refresh"]}).status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize("body", [{}, {"refresh": 123}, {"refresh": []}, {"refresh": "x" * 10_000}])
def test_refresh_bad_input_gives_400(anon_api, body):
    response = anon_api.post(REFRESH, body, format="json")
    assert response.status_code == 400
    assert "refresh" in response.json()


@pytest.mark.django_db
def test_refresh_with_a_garbage_token_gives_401(anon_api):
    response = anon_api.post(REFRESH, {"refresh": "not.a.token"})
    assert response.status_code == 401


@pytest.mark.django_db
def test_logout_blacklists_the_refresh_token(anon_api, alice, password):
    tokens = login(anon_api, password)
    response = anon_api.post(LOGOUT, {"refresh": tokens["refresh"]})
    assert response.status_code == 205
    assert anon_api.post(REFRESH, {"refresh": tokens["refresh"]}).status_code == 401
    # Signing out twice says so, without a 500.
    assert anon_api.post(LOGOUT, {"refresh": tokens["refresh"]}).status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [{}, {"refresh": 123}, {"refresh": None}, {"refresh": "garbage"}, {"refresh": "x" * 5000}],
)
def test_logout_bad_input_gives_400(anon_api, body):
    response = anon_api.post(LOGOUT, body, format="json")
    assert response.status_code == 400
    assert "refresh" in response.json()


@pytest.mark.django_db
def test_an_access_token_cannot_be_used_as_a_refresh_token(anon_api, alice):
    access = str(RefreshToken.for_user(alice).access_token)
    assert anon_api.post(REFRESH, {"refresh": access}).status_code == 401
    assert anon_api.post(LOGOUT, {"refresh": access}).status_code == 400


@pytest.mark.django_db
def test_auth_endpoints_are_throttled(anon_api, settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "auth": "3/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    from rest_framework.throttling import ScopedRateThrottle

    original = ScopedRateThrottle.THROTTLE_RATES
    ScopedRateThrottle.THROTTLE_RATES = rates
    try:
        codes = [
            anon_api.post(LOGIN, {"email": "x@example.com", "password": "x"}).status_code
            for _ in range(4)
        ]
    finally:
        ScopedRateThrottle.THROTTLE_RATES = original
    assert codes[-1] == 429
