from __future__ import annotations

import pytest
from django.test import Client as WebClient

from trainerhub.coaching.tests.factories import ClientFactory


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
        trainer=alice, first_name="Anna", last_name="Müller", email="anna@example.com"
    )


@pytest.fixture
def ben(bob):
    return ClientFactory(trainer=bob, first_name="Ben", last_name="Baker", email="ben@example.com")


@pytest.fixture
def alice_web(alice):
    web = WebClient()
    web.force_login(alice)
    return web


@pytest.fixture
def bob_web(bob):
    web = WebClient()
    web.force_login(bob)
    return web
