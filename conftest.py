"""Fixtures every app's tests share: the personas and API clients signed in as them.

alice and bob are trainers of two separate practices (London and New York), so every
tenancy test can check that bob never sees alice's things.
"""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from trainerhub.accounts.tests.factories import PASSWORD, TrainerFactory


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # The manifest storage needs collectstatic; tests find static files directly.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Production Argon2 costs most of a second per hash; tests use the same algorithm cheaply.
    settings.PASSWORD_HASHERS = ["trainerhub.accounts.tests.hashers.FastArgon2PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Throttles, lockouts and rate limits live in the cache; each test starts clean.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def alice(db):
    return TrainerFactory(
        email="alice@example.com", name="Alice Archer", slug="alice", timezone="Europe/London"
    )


@pytest.fixture
def bob(db):
    return TrainerFactory(
        email="bob@example.com", name="Bob Baker", slug="bob", timezone="America/New_York"
    )


def api_client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    return client


@pytest.fixture
def alice_api(alice) -> APIClient:
    return api_client_for(alice)


@pytest.fixture
def bob_api(bob) -> APIClient:
    return api_client_for(bob)


@pytest.fixture
def anon_api() -> APIClient:
    return APIClient()
