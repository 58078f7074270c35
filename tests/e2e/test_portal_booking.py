"""A visitor books on the public page in real headless Chromium, gets the private manage
link on the confirmation page, opens it and cancels with a reason."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import DESKTOP, both_sizes
from trainerhub.portal.tests.conftest import make_service, open_every_day
from trainerhub.scheduling.models import Booking

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def visitor(browser: Any, live_server: Any) -> Iterator[Any]:
    # The visitor lives in New York; the trainer in London: the page must follow the visitor.
    context = browser.new_context(viewport=DESKTOP, locale="en-US", timezone_id="America/New_York")
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda dialog: dialog.accept())
    page.base = live_server.url  # type: ignore[attr-defined]
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def test_visitor_books_then_cancels_through_the_manage_link(visitor, settings, alice):
    settings.PORTAL_MIN_FILL_SECONDS = 1
    open_every_day(alice)
    make_service(alice, name="Personal training", description="One to one, in the studio.")
    page = visitor

    page.goto(f"{page.base}/book/alice/")
    page.wait_for_url("**tz=America%2FNew_York**")
    page.get_by_role("link", name="Choose Personal training").click()
    assert page.locator("#tz-select").input_value() == "America/New_York"
    both_sizes(page, "portal-book-picker")

    # Another free day swaps in its times (htmx, the address follows); then take a time.
    second = page.locator("a[data-day]").nth(1)
    second_day = second.get_attribute("data-day")
    second.click()
    page.wait_for_url(f"**date={second_day}**")
    assert page.locator('a[aria-current="date"]').get_attribute("data-day") == second_day
    first_time = page.locator("[data-time]").first
    chosen = first_time.get_attribute("data-time")
    first_time.click()

    page.get_by_label("First name").fill("Vera")
    page.get_by_label("Last name").fill("Visitor")
    page.get_by_label("Email").fill("vera@example.com")
    page.get_by_label("Phone").fill("+1 212 555 0100")
    page.wait_for_timeout(1200)  # a person takes a moment; bots are refused below 1 s here
    page.get_by_role("button", name="Review booking").click()

    assert page.get_by_role("heading", name="Check and confirm").is_visible()
    summary = page.locator("dl.summary").first.inner_text()
    assert chosen in summary and "America/New_York" in summary and "Europe/London" in summary
    page.get_by_role("button", name="Confirm booking").click()

    page.get_by_role("heading", name="You're booked!").wait_for()
    both_sizes(page, "portal-booked")
    booking = Booking.objects.get()
    assert booking.status == "confirmed" and booking.client.email == "vera@example.com"
    link = page.locator("#manage-link")
    assert link.inner_text().endswith(f"/manage/{booking.manage_token}/")

    link.click()
    page.get_by_role("heading", name="Your booking").wait_for()
    assert "Confirmed" in page.locator(".status").inner_text()
    page.get_by_role("link", name="Cancel booking").click()
    page.get_by_label("I am unwell").check()
    page.get_by_role("button", name="Cancel booking").click()

    page.get_by_text("Your booking is cancelled.").wait_for()
    assert "Cancelled" in page.locator(".status").inner_text()
    booking.refresh_from_db()
    assert booking.status == "cancelled" and booking.cancelled_by == "client"
    assert booking.cancellation_reason == "I am unwell"
