from __future__ import annotations

import pytest

from trainerhub.core.tests.factories import make_client, make_service, open_every_day


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
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
def chris(open_alice):
    return make_client(open_alice, "Chris", email="chris@example.com")


@pytest.fixture
def alice_web(client, alice):
    client.force_login(alice)
    return client
