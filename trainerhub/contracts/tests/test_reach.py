from __future__ import annotations

import pytest

from trainerhub.contracts.tests.conftest import sent_contract, sign_typed
from trainerhub.notifications.messages import render
from trainerhub.notifications.models import Kind, Notification
from trainerhub.portal.tests.conftest import make_client_user

pytestmark = pytest.mark.django_db


def test_the_email_carries_the_private_link(alice, waiver, chris, booking):
    contract = sent_contract(alice, waiver, chris, booking)
    row = Notification.objects.get(kind=Kind.CONTRACT_REQUEST)
    out = render(row)
    assert out.to == "chris@example.com"
    assert out.subject == f"Please sign: Liability waiver from {alice.display_name}"
    assert f"/contracts/sign/{contract.token}/" in out.text and contract.token in out.html


def test_a_demo_trainer_never_sends(alice, waiver, chris, booking):
    from trainerhub.notifications.dispatcher import DEMO_NOT_SENT, skip_reason

    alice.is_demo = True
    alice.save()
    sent_contract(alice, waiver, chris, booking)
    row = Notification.objects.get(kind=Kind.CONTRACT_REQUEST)
    assert skip_reason(row, row.due_at) == DEMO_NOT_SENT


def test_the_portal_lists_documents_to_sign_and_signed_copies(
    client, alice, waiver, chris, booking
):
    user = make_client_user("chris@example.com", "pw-Secret-123")
    chris.account = user
    chris.save()
    waiting = sent_contract(alice, waiver, chris, booking)
    done = sign_typed(sent_contract(alice, waiver, chris, booking))
    client.force_login(user)
    page = client.get("/my/").content.decode()
    assert f"/contracts/sign/{waiting.token}/" in page
    assert f"/contracts/my/{done.pk}/pdf/" in page
    pdf = client.get(f"/contracts/my/{done.pk}/pdf/")
    assert pdf.status_code == 200 and pdf.content == bytes(done.final_pdf)
    assert client.get(f"/contracts/my/{waiting.pk}/pdf/").status_code == 404
