"""Contracts fixtures: alice's waiver template, a client with an email, a booking, and the
install's seal made once per test run in a temporary folder."""

from __future__ import annotations

import pytest

from trainerhub.contracts import services
from trainerhub.contracts.evidence import Actor
from trainerhub.core.tests import factories


@pytest.fixture(scope="session")
def seal_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("seal")


@pytest.fixture(autouse=True)
def _seal_paths(settings, seal_dir):
    settings.CONTRACTS_SEAL_KEY = str(seal_dir / "seal-key.pem")
    settings.CONTRACTS_SEAL_CERT = str(seal_dir / "seal-cert.pem")


WAIVER = (
    "<h2>Liability waiver</h2><p>I, {{ client.full_name }}, take part in {{ service.name }} "
    "on {{ booking.date }} at {{ booking.location }} with {{ trainer.business_name }}.</p>"
)
FIELDS = [
    {"kind": "text", "label": "Emergency contact"},
    {"kind": "checkbox", "label": "I have read the waiver"},
    {"kind": "initials", "label": "Initials"},
]


@pytest.fixture
def chris(alice):
    return factories.make_client(alice, "Chris", last_name="Cole", email="chris@example.com")


@pytest.fixture
def waiver(alice):
    return services.template_create(
        trainer=alice, name="Liability waiver", body=WAIVER, fields=FIELDS
    )


@pytest.fixture
def booking(alice, chris):
    service = factories.make_service(alice, location="Studio 1")
    return factories.make_booking(chris, factories.local_at(alice, 2, "10:00"), service=service)


TRAINER = Actor(ip_address="10.0.0.1", user_agent="pytest", identified_by="the trainer")
SIGNER = Actor(ip_address="203.0.113.9", user_agent="Phone browser", identified_by="link")

GOOD_FIELDS = {"field_1": "Pat Cole 0123", "field_2": True, "field_3": "cc"}


def sent_contract(alice, waiver, chris, booking=None):
    contract = services.contract_create(
        trainer=alice, template=waiver, client=chris, booking=booking, actor=TRAINER
    )
    return services.contract_send(contract=contract, actor=TRAINER)


def sign_typed(contract, name="Chris Cole"):
    return services.contract_sign(
        contract=contract,
        fields=GOOD_FIELDS,
        consent=True,
        signature={"type": "typed", "name": name},
        actor=SIGNER,
    )
