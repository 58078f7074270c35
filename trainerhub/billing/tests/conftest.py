import pytest


@pytest.fixture
def alice_web(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def bob_web(client, bob):
    client.force_login(bob)
    return client


# --- Online payments: a Stripe stand-in and alice's Stripe account --------------------------

import logging  # noqa: E402
from collections.abc import Iterator  # noqa: E402

from trainerhub.billing.tests.stripe_server import StripeHost, start  # noqa: E402

SECRET_KEY = "sk_test_alice_0123456789"
WEBHOOK_SECRET = "whsec_alice_0123456789"


@pytest.fixture
def stripe_host(settings) -> Iterator[StripeHost]:
    """A Stripe stand-in on 127.0.0.1 (a port of its own)."""
    logging.getLogger("stripe").setLevel(logging.WARNING)
    host = StripeHost()
    server = start(host)
    settings.STRIPE_API_BASE = host.base
    yield host
    server.shutdown()
    server.server_close()


@pytest.fixture
def alice_stripe(alice, stripe_host):
    from trainerhub.billing import online

    online.settings_update(trainer=alice, secret_key=SECRET_KEY, webhook_secret=WEBHOOK_SECRET)
    return stripe_host


@pytest.fixture
def hours(alice):
    """alice works every day 06:00-22:00 (her London time)."""
    from trainerhub.portal.tests.conftest import open_every_day

    open_every_day(alice)
