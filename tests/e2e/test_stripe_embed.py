"""The booking page inside a trainer's own website (a third-party iframe), with a deposit to
pay: Stripe's Checkout refuses to be framed, so the pay link opens it in the top window, and
Stripe brings the client back to the booking's page outside the frame."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.e2e.test_portal_embed import host_site, page_html, visitor  # noqa: F401 (fixtures)
from tests.e2e.test_stripe_checkout import (  # noqa: F401 (fixture)
    stripe_host,
    take_first_time_and_confirm,
)
from trainerhub.billing import online
from trainerhub.billing.tests.conftest import SECRET_KEY, WEBHOOK_SECRET
from trainerhub.portal.tests.conftest import make_service, open_every_day
from trainerhub.scheduling.models import Booking

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_embedded_booking_pays_in_the_top_window(
    visitor: Any,  # noqa: F811
    host_site: Any,  # noqa: F811
    stripe_host: Any,  # noqa: F811
    live_server: Any,
    settings: Any,
    alice: Any,
) -> None:
    settings.PORTAL_MIN_FILL_SECONDS = 1
    open_every_day(alice)
    make_service(
        alice, name="Shoot", price="80.00", deposit_kind="amount", deposit_value=Decimal("20")
    )
    online.settings_update(trainer=alice, secret_key=SECRET_KEY, webhook_secret=WEBHOOK_SECRET)
    visitor.set_default_timeout(60_000)  # the shared machine can be slow; the steps are few
    host_site.pages["/"] = page_html(
        f'<iframe id="booking" src="{live_server.url}/book/alice/?embed=1" title="Book" '
        'style="width:100%;height:900px;border:0"></iframe>'
    )

    visitor.goto(host_site.url + "/")
    frame = visitor.frame_locator("#booking")
    frame.get_by_role("link", name="Choose Shoot").click()
    take_first_time_and_confirm(frame, "Erin", "erin@example.com")

    # Still inside the frame: our held booking's page, not Stripe's refused one.
    frame.get_by_role("heading", name="Waiting for your payment").wait_for()
    assert Booking.objects.get().status == "pending_payment"
    frame.get_by_role("link", name="Pay 20.00 GBP").click()

    # The whole window went to the checkout.
    visitor.get_by_role("heading", name="Pay 20.00 GBP").wait_for()
    assert visitor.url.startswith(f"{stripe_host.base}/pay/")
    visitor.get_by_role("button", name="Pay").click()

    visitor.get_by_role("heading", name="You're booked!").wait_for()
    assert visitor.url.startswith(f"{live_server.url}/book/alice/booked/")
    assert "embed" not in visitor.url
    assert Booking.objects.get().status == "confirmed"
