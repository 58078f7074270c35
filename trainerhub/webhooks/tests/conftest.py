from __future__ import annotations

import pytest

from trainerhub.webhooks import services
from trainerhub.webhooks.models import EVENTS
from trainerhub.webhooks.tests.receiver import start


@pytest.fixture(autouse=True)
def _private_receivers(settings):
    # The receiver runs on 127.0.0.1; production refuses that (see test_addresses).
    settings.WEBHOOKS_ALLOW_PRIVATE = True


@pytest.fixture
def receiver():
    stand_in, server = start()
    yield stand_in
    server.shutdown()
    server.server_close()


@pytest.fixture
def endpoint(alice, receiver):
    return services.endpoint_create(trainer=alice, url=receiver.url, events=list(EVENTS))
