from __future__ import annotations

import pytest

from trainerhub.accounts.models import User
from trainerhub.accounts.tests.factories import TrainerFactory


@pytest.fixture
def client_user(db) -> User:
    """Someone who books through a portal: a login, but never a trainer."""
    return TrainerFactory(
        email="carol@example.com", name="Carol Client", slug=None, role=User.Role.CLIENT
    )


@pytest.fixture
def alice_web(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def staff(db) -> User:
    return User.objects.create_superuser(
        "staff@example.com", "staff-password-long-enough", name="Staff Person"
    )
