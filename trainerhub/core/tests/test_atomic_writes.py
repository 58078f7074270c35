"""A write request that ends in a server error commits nothing (core.middleware), while a
refused one keeps what it recorded on purpose (the sign-in lockout's failures)."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from trainerhub.scheduling.models import TimeOff
from trainerhub.scheduling.serializers import TimeOffSerializer

pytestmark = pytest.mark.django_db
BODY = {"start": "2030-08-01T00:00:00Z", "end": "2030-08-02T00:00:00Z", "reason": "Trip"}


@pytest.fixture
def api(alice) -> APIClient:
    # The 500 is the answer under test, not an exception for the test client to re-raise.
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(alice).access_token}")
    return client


def test_a_500_after_the_service_saved_the_row_leaves_nothing(api, monkeypatch):
    def broken(self, instance):
        raise RuntimeError("reading the row back failed")

    monkeypatch.setattr(TimeOffSerializer, "to_representation", broken)
    response = api.post("/api/v1/availability/time-off/", BODY, format="json")
    assert response.status_code == 500
    assert not TimeOff.objects.exists()


def test_the_same_request_without_the_failure_commits(api):
    assert api.post("/api/v1/availability/time-off/", BODY, format="json").status_code == 201
    assert TimeOff.objects.count() == 1


def test_a_refused_sign_in_keeps_its_failure_record(anon_api, alice):
    body = {"email": "alice@example.com", "password": "wrong"}
    assert anon_api.post("/api/v1/auth/login", body).status_code == 401
    assert AccessAttempt.objects.get().failures_since_start == 1
