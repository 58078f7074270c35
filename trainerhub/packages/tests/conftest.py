from __future__ import annotations

import pytest

from trainerhub.core.tests.factories import make_client
from trainerhub.scheduling.tests import conftest as scheduling

# alice open every day, her one-to-one service, fast password hashing: as in scheduling.
_fast_passwords = scheduling._fast_passwords
open_alice = scheduling.open_alice
pt = scheduling.pt


@pytest.fixture
def chris(open_alice):
    return make_client(open_alice, "Chris", email="chris@example.com")


@pytest.fixture
def alice_web(client, alice):
    client.force_login(alice)
    return client
