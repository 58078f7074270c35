"""Repeated failed sign-ins lock the account for a while, on the page and in the API alike."""

import pytest
import time_machine
from django.urls import reverse

from trainerhub.accounts.lockout import lockout_message
from trainerhub.accounts.tests.factories import PASSWORD

LOGIN_API = "/api/v1/auth/login"


def fail_api(api, times, email="alice@example.com"):
    return [
        api.post(LOGIN_API, {"email": email, "password": "wrong-password"}).status_code
        for _ in range(times)
    ]


@pytest.mark.django_db
def test_api_locks_the_account_after_five_failures(anon_api, alice, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    codes = fail_api(anon_api, 4)
    assert codes == [401] * 4
    fifth = anon_api.post(LOGIN_API, {"email": "alice@example.com", "password": "wrong"})
    assert fifth.status_code == 429
    assert fifth.json() == {"detail": lockout_message(), "code": "account_locked"}
    assert "locked" in fifth.json()["detail"]


@pytest.mark.django_db
def test_api_refuses_the_right_password_while_locked(anon_api, alice):
    fail_api(anon_api, 5)
    response = anon_api.post(LOGIN_API, {"email": "alice@example.com", "password": PASSWORD})
    assert response.status_code == 429
    assert response.json()["code"] == "account_locked"
    assert "access" not in response.json()


@pytest.mark.django_db
def test_the_lock_counts_the_address_whatever_its_case(anon_api, alice):
    for email in [
        "alice@example.com",
        "ALICE@example.com",
        "Alice@Example.com",
        " alice@example.com",
    ]:
        fail_api(anon_api, 1, email=email)
    fail_api(anon_api, 1, email="aLiCe@example.com")
    response = anon_api.post(LOGIN_API, {"email": "alice@example.com", "password": PASSWORD})
    assert response.status_code == 429


@pytest.mark.django_db
def test_the_lock_ends_after_the_cool_off(anon_api, alice, settings):
    with time_machine.travel("2030-01-06 09:00:00+00:00", tick=False) as traveller:
        fail_api(anon_api, 5)
        response = anon_api.post(LOGIN_API, {"email": "alice@example.com", "password": PASSWORD})
        assert response.status_code == 429
        traveller.shift(settings.AXES_COOLOFF_TIME.total_seconds() + 60)
        response = anon_api.post(LOGIN_API, {"email": "alice@example.com", "password": PASSWORD})
        assert response.status_code == 200


@pytest.mark.django_db
def test_a_success_resets_the_count(anon_api, alice):
    fail_api(anon_api, 4)
    assert (
        anon_api.post(LOGIN_API, {"email": "alice@example.com", "password": PASSWORD}).status_code
        == 200
    )
    assert fail_api(anon_api, 4) == [401] * 4


@pytest.mark.django_db
def test_locking_alice_does_not_lock_bob(anon_api, alice, bob):
    fail_api(anon_api, 5)
    assert (
        anon_api.post(LOGIN_API, {"email": "bob@example.com", "password": PASSWORD}).status_code
        == 200
    )


@pytest.mark.django_db
def test_web_login_locks_after_five_failures_and_says_so(client, alice):
    url = reverse("accounts:login")
    for _ in range(4):
        response = client.post(url, {"email": "alice@example.com", "password": "wrong"})
        assert response.status_code == 200
        assert "not correct" in response.content.decode()
    response = client.post(url, {"email": "alice@example.com", "password": "wrong"})
    assert response.status_code == 429
    assert "locked" in response.content.decode()
    response = client.post(url, {"email": "alice@example.com", "password": PASSWORD})
    assert response.status_code == 429
    page = response.content.decode()
    assert "locked for 15 minutes" in page
    assert "<form" in page  # the sign-in page itself, with the message on the form
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_failures_on_the_page_and_in_the_api_add_up(client, anon_api, alice):
    for _ in range(3):
        client.post(reverse("accounts:login"), {"email": "alice@example.com", "password": "x"})
    fail_api(anon_api, 2)
    response = anon_api.post(LOGIN_API, {"email": "alice@example.com", "password": PASSWORD})
    assert response.status_code == 429
    page = client.post(
        reverse("accounts:login"), {"email": "alice@example.com", "password": PASSWORD}
    )
    assert page.status_code == 429
