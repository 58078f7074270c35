"""schemathesis over every operation of the OpenAPI document, as a trainer, as a client
account and anonymously: every check (server errors, status codes, content types, response
schemas and headers, refused invalid input...) must pass.

Part of `make test`, bounded for CI: a fixed seed, SCHEMATHESIS_EXAMPLES examples per
operation and persona (default 1, plus the explicit examples and schemathesis's negative and
method checks), run in-process against the WSGI application. The operations are read from the
document at run time, so new endpoints are covered as they land.

  .venv/bin/pytest tests/schema -q                           # the bounded run
  SCHEMATHESIS_EXAMPLES=50 .venv/bin/pytest tests/schema -q  # deeper
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, seed, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from config.wsgi import application

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "1"))
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Django closes the database connection after each request; the test's transaction
    must outlive the requests (Django's own test client does the same)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(params=["trainer", "client", "anonymous"])
def persona(request, alice) -> dict[str, str]:
    from trainerhub.accounts.models import User
    from trainerhub.accounts.tokens import issue_pair

    if request.param == "anonymous":
        return {}
    if request.param == "trainer":
        user = alice
    else:
        user = User.objects.create_user(
            email="cara@example.com", password="a-long-client-passphrase", name="Cara"
        )
        User.objects.filter(pk=user.pk).update(role=User.Role.CLIENT)
        user.refresh_from_db()
    return {"Authorization": f"Bearer {issue_pair(user)['access']}"}


# Operations where a request that fits the document can still be refused, for a reason no
# schema can state: the value must be one the server issued (a refresh token, the token of an
# emailed link), or Django's password validators judge it (not like the address, not a common
# password). Every other check still runs on them; only "schema-valid data is accepted" is
# left out.
JUDGED_BY_THE_SERVER = {
    ("POST", "/api/v1/auth/logout"),
    ("POST", "/api/v1/auth/verify-email"),
    ("POST", "/api/v1/auth/register"),
}


def _negative_only_in_headers(case) -> bool:
    from schemathesis.core.parameters import ParameterLocation

    meta = case.meta
    if meta is None or not meta.generation.mode.is_negative:
        return False
    negative = {loc for loc, info in meta.components.items() if info.mode.is_negative}
    return negative <= {ParameterLocation.HEADER}


@schema.parametrize()
@seed(20261202)
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_keeps_its_contract(case, persona):
    if case.headers:
        case.headers = {k: v for k, v in case.headers.items() if k.lower() != "authorization"}
    if _negative_only_in_headers(case):
        # Its one invalid part was the generated credentials, replaced by the persona's:
        # what is sent is a valid request, which the negative check would call accepted.
        return
    excluded = []
    if (case.method.upper(), case.path) in JUDGED_BY_THE_SERVER:
        excluded.append(positive_data_acceptance)
    # Passed to the call, so the authentication checks know these are the real credentials.
    # `identity`: the in-process WSGI transport does not undo a content coding, as any HTTP
    # client does, and the API gzips JSON for clients that accept it.
    case.call_and_validate(
        headers={**persona, "Accept-Encoding": "identity"}, excluded_checks=excluded
    )
