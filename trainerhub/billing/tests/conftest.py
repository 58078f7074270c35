import pytest


@pytest.fixture
def alice_web(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def bob_web(client, bob):
    client.force_login(bob)
    return client
