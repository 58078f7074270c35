from __future__ import annotations

import pytest

from trainerhub.contracts import services
from trainerhub.contracts.models import Contract
from trainerhub.contracts.tests.conftest import WAIVER
from trainerhub.notifications.models import Kind, Notification
from trainerhub.portal.tests.conftest import day_at, make_service, payload
from trainerhub.scheduling.models import Booking
from trainerhub.scheduling.services import booking_reschedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiver_service(alice):
    from trainerhub.core.tests import factories

    factories.open_every_day(alice, "06:00", "22:00")
    service = make_service(alice, name="Boxing")
    services.template_create(trainer=alice, name="Boxing waiver", body=WAIVER, services=[service])
    return service


def test_public_booking_sends_the_waiver_once_also_after_reschedule(
    anon_api, alice, waiver_service, client
):
    r = anon_api.post(
        "/api/v1/public/alice/bookings", payload(waiver_service, day_at(2, 10)), format="json"
    )
    assert r.status_code == 201, r.json()
    booking = Booking.objects.get()
    contract = Contract.objects.get()
    assert (contract.booking_id, contract.status, contract.sent_to) == (
        booking.pk,
        "sent",
        "carol@example.com",
    )
    assert "Carol Client, take part in Boxing" in contract.document_html
    email = Notification.objects.get(kind=Kind.CONTRACT_REQUEST)
    assert email.client_id == booking.client_id and email.context["sign_url"].endswith(
        f"/contracts/sign/{contract.token}/"
    )
    booking_reschedule(booking=booking, start=day_at(3, 11), actor="client")
    assert Contract.objects.count() == 1
    assert Notification.objects.filter(kind=Kind.CONTRACT_REQUEST).count() == 1
    client.force_login(alice)
    panel = client.get(f"/scheduling/bookings/{booking.pk}/").content.decode()
    assert "Boxing waiver" in panel and ">Sent<" in panel


def test_a_client_without_email_keeps_a_draft_with_the_reason_and_the_booking_stands(
    alice, waiver_service
):
    from trainerhub.core.tests import factories

    nomail = factories.make_client(alice, "Nia", phone="+44 7911 000000")
    booking = factories.make_booking(nomail, day_at(2, 12), service=waiver_service)
    contract = Contract.objects.get(booking=booking)
    assert contract.status == "draft" and "Nia has no email address" in contract.last_error
