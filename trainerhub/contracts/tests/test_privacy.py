from __future__ import annotations

import pytest

from trainerhub.clients import privacy
from trainerhub.clients.services import client_erase
from trainerhub.contracts.models import Contract, ContractEvent, Signature
from trainerhub.contracts.tests.conftest import sent_contract, sign_typed

pytestmark = pytest.mark.django_db


def test_export_lists_contracts_and_erase_deletes_them_signed_or_not(alice, waiver, chris, booking):
    signed = sign_typed(sent_contract(alice, waiver, chris, booking))
    sent_contract(alice, waiver, chris, booking)
    exported = privacy.export_sections(chris)["contracts"]
    assert [c["status"] for c in exported] == ["completed", "sent"]
    assert exported[0]["final_pdf_sha256"] == signed.final_sha256
    assert exported[0]["events"][4]["ip_address"] == "203.0.113.9"
    client_erase(client=chris, confirm="Chris Cole")
    assert not Contract.objects.exists()
    assert not ContractEvent.objects.exists() and not Signature.objects.exists()


def test_home_page_reads_a_fixed_number_of_queries(
    client, alice, waiver, chris, booking, django_assert_num_queries
):
    client.force_login(alice)
    sent_contract(alice, waiver, chris, booking)
    client.get("/contracts/")
    with django_assert_num_queries(6):
        client.get("/contracts/")
    for _ in range(3):
        sent_contract(alice, waiver, chris, booking)
    with django_assert_num_queries(6):
        assert client.get("/contracts/").status_code == 200
