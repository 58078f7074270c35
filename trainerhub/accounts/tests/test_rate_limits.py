"""Sign-in and reset limits count the connection's address when no proxy is configured: a
made-up X-Forwarded-For is not a new address. One address's limit is its own, and every
refusal is a 429."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

pytestmark = pytest.mark.django_db

FROZEN = datetime(2026, 3, 2, 9, 0, 10, tzinfo=UTC)  # one rate-limit window for every request
LOGIN_API = "/api/v1/auth/login"


@pytest.fixture
def auth_rate(settings, monkeypatch):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "auth": "3/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    # DRF's scoped throttle copies the rates when it is imported.
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", rates)


def test_login_api_limit_is_not_fooled_by_forwarded_for(auth_rate):
    api = APIClient(REMOTE_ADDR="203.0.113.1")
    body = {"email": "x@example.com", "password": "wrong"}
    with time_machine.travel(FROZEN, tick=False):
        codes = [
            api.post(LOGIN_API, body, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
            for n in range(5)
        ]
        other = APIClient(REMOTE_ADDR="203.0.113.2").post(LOGIN_API, body).status_code
    assert codes == [401, 401, 401, 429, 429]
    assert other == 401


def test_login_page_limit_is_not_fooled_by_forwarded_for(auth_rate):
    page = Client(REMOTE_ADDR="203.0.113.1")
    url = reverse("accounts:login")
    body = {"email": "x@example.com", "password": "wrong"}
    with time_machine.travel(FROZEN, tick=False):
        codes = [
            page.post(url, body, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
            for n in range(5)
        ]
        other = Client(REMOTE_ADDR="203.0.113.2").post(url, body).status_code
    assert codes == [200, 200, 200, 429, 429]
    assert other == 200


def test_password_reset_limit_answers_429_with_the_form():
    page = Client(REMOTE_ADDR="203.0.113.1")
    url = reverse("accounts:password_reset")
    with time_machine.travel(FROZEN, tick=False):
        codes = [
            page.post(
                url, {"email": "x@example.com"}, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
            ).status_code
            for n in range(11)
        ]
        refused = page.post(url, {"email": "x@example.com"})
    assert codes == [302] * 10 + [429]
    assert refused.status_code == 429
    assert "Too many reset requests" in refused.content.decode()
