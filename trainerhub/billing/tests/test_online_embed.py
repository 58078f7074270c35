"""The booking page embedded in a trainer's website: Stripe's Checkout refuses to be framed,
so an embedded booking that is to be paid lands on its held page (still framable) whose
pay link opens the checkout in the top window; the page outside a frame goes to Stripe."""

from __future__ import annotations

import re

import pytest
from django.test import Client as WebClient

from trainerhub.billing.models import OnlinePayment
from trainerhub.billing.tests.online_helpers import deposit_service
from trainerhub.portal.tests.conftest import day_at, form_data
from trainerhub.portal.tests.test_embed import framing
from trainerhub.scheduling.models import Booking

pytestmark = pytest.mark.django_db


@pytest.fixture
def shoot(alice, hours):
    return deposit_service(alice)


def test_an_embedded_booking_opens_the_checkout_in_the_top_window(alice_stripe, shoot):
    web = WebClient(enforce_csrf_checks=True)  # no cookies inside another site's frame
    data = form_data(shoot, day_at(2, 10), step="confirm", embed="1")

    answer = web.post("/book/alice/details/", data)

    booking = Booking.objects.get()
    pending = OnlinePayment.objects.get(booking=booking)
    assert booking.status == "pending_payment" and pending.checkout_url
    assert answer.status_code == 302
    assert answer["Location"].startswith(f"/book/alice/booked/{booking.manage_token}/")
    assert "embed=1" in answer["Location"]  # our page, inside the frame: not Stripe's
    held = web.get(answer["Location"])
    assert framing(held) == (None, "frame-ancestors *")
    page = held.content.decode()
    link = re.search(r'<a [^>]*id="pay-link"[^>]*>', page).group(0)
    assert f'href="{pending.checkout_url}"' in link
    assert 'target="_top"' in link and 'rel="noopener"' in link
    assert "opens on Stripe's secure page in the whole window" in page
    # Stripe brings the client back to the booking's page outside any frame.
    [create] = alice_stripe.posts("/v1/checkout/sessions")
    assert "embed" not in create["form"]["success_url"]


def test_outside_a_frame_the_booking_goes_straight_to_stripe(client, alice_stripe, shoot):
    answer = client.post("/book/alice/details/", form_data(shoot, day_at(2, 10), step="confirm"))

    pending = OnlinePayment.objects.get()
    assert answer.status_code == 302 and answer["Location"] == pending.checkout_url
    held = client.get(f"/book/alice/booked/{pending.booking.manage_token}/").content.decode()
    assert 'target="_top"' not in re.search(r'<a [^>]*id="pay-link"[^>]*>', held).group(0)
