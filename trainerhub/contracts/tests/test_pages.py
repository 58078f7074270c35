from __future__ import annotations

import pytest

from trainerhub.contracts import services
from trainerhub.contracts.tests.conftest import TRAINER, sent_contract, sign_typed

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_web(client, alice):
    client.force_login(alice)
    return client


def test_home_template_form_and_sanitising(alice_web, alice):
    assert alice_web.get("/contracts/").status_code == 200
    r = alice_web.post(
        "/contracts/templates/new/",
        {
            "name": "PAR-Q",
            "body": "Hello {{ client.first_name }}\n\nSecond <script>x</script>",
            "fields_text": "checkbox: I answered honestly\ndate: Date of birth (optional)",
            "signers": "client",
            "stamp_page": 0,
            "stamp_x_mm": 20,
            "stamp_y_mm": 240,
            "required_when": "every_booking",
            "expires_days": 14,
            "is_active": "on",
        },
    )
    assert r.status_code == 302
    page = alice_web.get("/contracts/").content.decode()
    assert "PAR-Q" in page
    r = alice_web.post(
        "/contracts/templates/new/",
        {
            "name": "Bad",
            "body": "{{ client.shoe }}",
            "fields_text": "radio: x",
            "signers": "client",
            "stamp_page": 0,
            "stamp_x_mm": 20,
            "stamp_y_mm": 240,
            "required_when": "every_booking",
            "expires_days": 14,
        },
    )
    assert r.status_code == 400 and "Line 1: write" in r.content.decode()


def test_send_from_the_client_page_and_the_booking_panel_shows_status(
    alice_web, alice, waiver, chris, booking
):
    page = alice_web.get(f"/clients/{chris.pk}/").content.decode()
    assert 'id="client-contracts"' in page and "Send to sign" in page
    r = alice_web.post(
        "/contracts/send/",
        {
            "template": waiver.pk,
            "booking": booking.pk,
            "next": f"/scheduling/bookings/{booking.pk}/",
        },
    )
    assert r.status_code == 302
    panel = alice_web.get(f"/scheduling/bookings/{booking.pk}/").content.decode()
    assert 'id="booking-contracts"' in panel and "Liability waiver" in panel and ">Sent<" in panel


def test_detail_pdf_evidence_and_verify(alice_web, alice, waiver, chris, booking, bob):
    contract = sign_typed(sent_contract(alice, waiver, chris, booking))
    page = alice_web.get(f"/contracts/{contract.pk}/").content.decode()
    assert "Intact" in page and contract.final_sha256 in page
    pdf = alice_web.get(f"/contracts/{contract.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    assert "203.0.113.9" in alice_web.get(f"/contracts/{contract.pk}/evidence/").content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = alice_web.post(
        "/contracts/verify/", {"pdf": SimpleUploadedFile("a.pdf", bytes(contract.final_pdf))}
    )
    assert "Sealed by this TrainerHub and unchanged since." in r.content.decode()
    changed = bytearray(contract.final_pdf)
    changed[len(changed) // 2] ^= 0x01
    r = alice_web.post("/contracts/verify/", {"pdf": SimpleUploadedFile("a.pdf", bytes(changed))})
    assert "Sealed by this TrainerHub and unchanged since." not in r.content.decode()
    alice_web.force_login(bob)
    assert alice_web.get(f"/contracts/{contract.pk}/").status_code == 404
    assert alice_web.get(f"/contracts/{contract.pk}/pdf/").status_code == 404


def test_signing_page_typed_then_410(client, alice, waiver, chris, booking):
    contract = sent_contract(alice, waiver, chris, booking)
    url = f"/contracts/sign/{contract.token}/"
    page = client.get(url).content.decode()
    assert (
        "I, Chris Cole, take part" in page
        and "<script>" not in page.split("</main>")[0].split("<main")[-1]
    )
    r = client.post(
        url, {"fields.field_1": "Pat", "signature_type": "typed", "typed_name": "Chris Cole"}
    )
    assert r.status_code == 400
    text = r.content.decode()
    assert "Tick “I have read the waiver” to sign." in text and "Tick the box to agree" in text
    r = client.post(
        url,
        {
            "fields.field_1": "Pat",
            "fields.field_2": "on",
            "fields.field_3": "cc",
            "consent": "on",
            "signature_type": "typed",
            "typed_name": "Chris Cole",
        },
    )
    assert r.status_code == 200 and "you signed" in r.content.decode()
    gone = client.get(url)
    assert gone.status_code == 410 and "already signed" in gone.content.decode()


def test_decline_page_and_expired_link(client, alice, waiver, chris, booking, time_machine):
    contract = sent_contract(alice, waiver, chris, booking)
    r = client.post(f"/contracts/sign/{contract.token}/decline/", {"reason": "I changed my mind"})
    assert r.status_code == 200 and "You declined" in r.content.decode()
    other = sent_contract(alice, waiver, chris, booking)
    time_machine.move_to(other.expires_at, tick=False)
    r = client.get(f"/contracts/sign/{other.token}/")
    assert r.status_code == 410 and "This link expired" in r.content.decode()
    services.contract_send(contract=other, actor=TRAINER)  # resend revives it
    assert client.get(f"/contracts/sign/{other.token}/").status_code == 200
