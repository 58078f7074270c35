from __future__ import annotations

import pytest

from trainerhub.clients.tests.factories import ClientFactory


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


@pytest.fixture
def anna(alice):
    return ClientFactory(
        trainer=alice,
        first_name="Anna",
        last_name="Müller",
        email="anna@example.com",
        phone="+447911123456",
        health_notes="Bad knee (private)",
    )


@pytest.fixture
def bobs_client(bob):
    return ClientFactory(
        trainer=bob, first_name="Barry", last_name="Bobson", email="barry@example.com"
    )


@pytest.fixture
def alice_web(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def bob_web(client, bob):
    client.force_login(bob)
    return client


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The personas' argon2 hashing dominates these tests' time; the hasher is not under test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
