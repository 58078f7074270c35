from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from trainerhub.contracts import sealing, services
from trainerhub.contracts.documents import sha256
from trainerhub.contracts.evidence import verify_chain
from trainerhub.contracts.models import Contract, ContractEvent
from trainerhub.contracts.tests.conftest import SIGNER, TRAINER, sent_contract, sign_typed
from trainerhub.core.errors import InvalidInput

pytestmark = pytest.mark.django_db


def test_send_freezes_the_merged_document_and_a_template_edit_changes_nothing(
    alice, waiver, chris, booking
):
    contract = sent_contract(alice, waiver, chris, booking)
    assert "I, Chris Cole, take part in Personal training" in contract.document_html
    assert "Studio 1" in contract.document_html and "{{" not in contract.document_html
    assert contract.document_sha256 == sha256(contract.document_html)
    frozen, digest = contract.document_html, contract.document_sha256
    services.template_update(template=waiver, body="<p>Completely new text {{ today }}</p>")
    contract.refresh_from_db()
    assert (contract.document_html, contract.document_sha256) == (frozen, digest)
    services.contract_send(contract=contract, actor=TRAINER)  # a resend keeps the copy
    contract.refresh_from_db()
    assert (contract.document_html, contract.document_sha256) == (frozen, digest)


def test_script_is_sanitised_and_an_unknown_field_is_named(alice):
    t = services.template_create(
        trainer=alice, name="X", body='<p onclick="x()">Hi<script>alert(1)</script></p>'
    )
    assert t.body == "<p>Hi</p>"
    with pytest.raises(InvalidInput) as exc:
        services.template_create(trainer=alice, name="Y", body="<p>{{ client.shoe_size }}</p>")
    assert "Unknown merge field {{ client.shoe_size }}" in exc.value.errors["body"][0]


def test_an_unresolved_field_blocks_sending_with_its_name(alice, waiver, chris):
    contract = services.contract_create(trainer=alice, template=waiver, client=chris, actor=TRAINER)
    with pytest.raises(InvalidInput) as exc:
        services.contract_send(contract=contract, actor=TRAINER)
    assert "{{ service.name }} needs a booking" in exc.value.errors["template"][0]
    contract.refresh_from_db()
    assert contract.status == "draft" and contract.token is None and not contract.document_html


def test_signing_records_every_event_the_chain_verifies_and_an_edit_breaks_it(
    alice, waiver, chris, booking
):
    contract = sign_typed(sent_contract(alice, waiver, chris, booking))
    assert contract.status == Contract.Status.COMPLETED
    events = list(contract.events.order_by("seq"))
    assert [e.kind for e in events] == [
        "created",
        "sent",
        "viewed",
        "consent",
        "signed",
        "completed",
    ]
    signed = events[4]
    assert (signed.ip_address, signed.user_agent, signed.identified_by) == (
        "203.0.113.9",
        "Phone browser",
        "link",
    )
    assert signed.at.tzinfo is not None and signed.prev_hash == events[3].hash
    assert signed.data["fields"] == {"field_1": "Pat Cole 0123", "field_2": True, "field_3": "CC"}
    assert verify_chain(contract).ok
    ContractEvent.objects.filter(pk=signed.pk).update(ip_address="198.51.100.1")
    report = verify_chain(contract)
    assert report.problems == ["event 5 (signed) was changed after it was written."]


def test_the_command_verifies_and_fails_on_an_edited_row(alice, waiver, chris, booking):
    from django.core.management import CommandError, call_command

    contract = sign_typed(sent_contract(alice, waiver, chris, booking))
    out = io.StringIO()
    call_command("contracts_verify", str(contract.pk), stdout=out)
    assert f"contract {contract.pk}: ok (6 events)" in out.getvalue()
    ContractEvent.objects.filter(contract=contract, seq=2).update(data={"to": "x@example.com"})
    with pytest.raises(CommandError):
        call_command("contracts_verify", stdout=io.StringIO(), stderr=io.StringIO())


def test_the_sealed_pdf_validates_and_one_changed_byte_fails(alice, waiver, chris, booking):
    contract = sign_typed(sent_contract(alice, waiver, chris, booking))
    pdf = bytes(contract.final_pdf)
    assert contract.final_sha256 == sha256(pdf)
    assert sealing.verify(pdf).ok
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Liability waiver" in text and "I, Chris Cole, take part in Personal training" in text
    assert "Evidence page" in text and contract.document_sha256 in text.replace("\n", "")
    assert "203.0.113.9" in text and "Chris Cole" in text
    changed = bytearray(pdf)
    spot = len(changed) // 3
    changed[spot] = (changed[spot] + 1) % 256
    verdict = sealing.verify(bytes(changed))
    assert not verdict.ok


@pytest.mark.parametrize(
    ("override", "field", "message"),
    [
        ({"consent": False}, "consent", "Tick the box to agree to sign electronically."),
        (
            {"fields": {"field_1": "x", "field_3": "cc"}},
            "fields.field_2",
            "Tick “I have read the waiver” to sign.",
        ),
        (
            {"signature": {"type": "drawn", "png": "data:image/jpeg;base64,/9j/4AAQ"}},
            "signature",
            "The signature image must be a PNG.",
        ),
        (
            {"signature": {"type": "drawn", "png": "A" * 1_500_000}},
            "signature",
            "The signature image is over 1 MB.",
        ),
        (
            {"signature": {"type": "typed", "name": " "}},
            "signature",
            "Type your full name to sign.",
        ),
    ],
)
def test_bad_signing_input_is_refused_and_nothing_is_saved(
    alice, waiver, chris, booking, override, field, message
):
    contract = sent_contract(alice, waiver, chris, booking)
    before = contract.events.count()
    kwargs = {
        "fields": {"field_1": "x", "field_2": True, "field_3": "cc"},
        "consent": True,
        "signature": {"type": "typed", "name": "Chris Cole"},
        **override,
    }
    with pytest.raises(InvalidInput) as exc:
        services.contract_sign(contract=contract, actor=SIGNER, **kwargs)
    assert exc.value.errors[field] == [message]
    contract.refresh_from_db()
    assert contract.status == "sent" and contract.events.count() == before
    assert not contract.signatures.exists() and not contract.field_values


def test_a_used_or_voided_link_is_gone(alice, waiver, chris, booking):
    signed = sign_typed(sent_contract(alice, waiver, chris, booking))
    with pytest.raises(services.LinkGone) as exc:
        sign_typed(signed)
    assert exc.value.code == "signed"
    other = sent_contract(alice, waiver, chris, booking)
    services.contract_void(contract=other, actor=TRAINER, reason="Wrong document")
    with pytest.raises(services.LinkGone) as exc:
        sign_typed(other)
    assert exc.value.code == "voided"


def test_client_then_trainer_completes_after_the_countersignature(alice, chris, booking):
    from trainerhub.contracts.tests.test_drawn import PNG_DATA_URL

    template = services.template_create(
        trainer=alice,
        name="Coaching contract",
        body="<p>Between {{ trainer.name }} and {{ client.first_name }}.</p>",
        signers="client_trainer",
    )
    contract = sent_contract(alice, template, chris)
    contract = services.contract_sign(
        contract=contract,
        fields={},
        consent=True,
        signature={"type": "drawn", "png": PNG_DATA_URL},
        actor=SIGNER,
    )
    assert contract.status == "signed" and not contract.final_pdf
    contract = services.contract_countersign(
        contract=contract, signature={"type": "typed", "name": "Alice Archer"}, actor=TRAINER
    )
    assert contract.status == "completed" and sealing.verify(bytes(contract.final_pdf)).ok
    assert [s.role for s in contract.signatures.order_by("signed_at")] == ["client", "trainer"]
    assert verify_chain(contract).ok
