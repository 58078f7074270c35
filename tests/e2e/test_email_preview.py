"""The message preview shows the email itself (it was a blank frame: the HTML was not escaped
inside the frame's srcdoc attribute) and fits a phone's screen (it was 1,089 px wide)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import PHONE, both_sizes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_message_preview_shows_its_email_and_fits_a_phone(page, alice, password):
    page.goto(f"{page.base}/accounts/login/")
    page.fill("input[name=email]", alice.email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{page.base}/")
    page.set_viewport_size(PHONE)
    page.goto(f"{page.base}/notifications/preview/")
    kinds = page.locator("#kind option").evaluate_all("options => options.map(o => o.value)")
    assert len(kinds) > 5
    for kind in kinds:
        page.goto(f"{page.base}/notifications/preview/{kind}/")
        body = page.frame_locator("iframe.email-frame").locator("body")
        text = body.inner_text()
        assert len(text.strip()) > 40, f"{kind}: the email frame is blank"
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"] + 1, f"{kind}: {width}px wide at 375px"
    page.goto(f"{page.base}/notifications/preview/booking_confirmed/")
    assert "Sam" in page.frame_locator("iframe.email-frame").locator("body").inner_text()
    both_sizes(page, "email-preview", reload=True)
