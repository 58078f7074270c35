"""A refused change on a manage link answers with the booking's page and why; that answer
(to a POST) must not reload itself to add ?tz=, or the reason would vanish with the reload."""

from __future__ import annotations

import pytest

from trainerhub.portal.tests.conftest import day_at, form_data
from trainerhub.scheduling.models import Booking

pytestmark = pytest.mark.django_db


def test_refused_cancel_keeps_its_message_and_never_reloads(client, service):
    r = client.post("/book/alice/details/", form_data(service, day_at(3, 10), step="confirm"))
    assert r.status_code == 302
    booking = Booking.objects.get()
    Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.CANCELLED)
    r = client.post(
        f"/manage/{booking.manage_token}/cancel/", {"reason_choice": "Something came up"}
    )
    assert r.status_code == 409
    html = r.content.decode()
    assert 'class="message message-error"' in html
    assert 'data-detect-tz="reload"' not in html
    # The page reached by GET still follows the visitor's zone.
    page = client.get(f"/manage/{booking.manage_token}/")
    assert 'data-detect-tz="reload"' in page.content.decode()
