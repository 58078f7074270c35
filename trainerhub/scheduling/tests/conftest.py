from __future__ import annotations

import pytest

from trainerhub.scheduling.tests.factories import make_client, make_service, open_every_day


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Argon2 costs about a second per persona; these tests never check passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def open_alice(alice):
    """alice works 07:00-21:00 every day."""
    open_every_day(alice)
    return alice


@pytest.fixture
def pt(open_alice):
    return make_service(open_alice)


@pytest.fixture
def group(open_alice):
    return make_service(open_alice, name="Group HIIT", capacity=5, duration_minutes=60)


@pytest.fixture
def carol(alice):
    return make_client(alice, "Carol", last_name="Clark", email="carol@example.com")


@pytest.fixture
def dave(alice):
    return make_client(alice, "Dave", last_name="Day")
