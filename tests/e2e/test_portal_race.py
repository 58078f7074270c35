"""Two visitors want the same time: the one who confirms second sees "that time was just
taken" with fresh times, and the page stays usable (no self-reload into a 404)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import DESKTOP
from trainerhub.portal.tests.conftest import make_service, open_every_day
from trainerhub.scheduling.models import Booking

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _visitor(browser: Any, live_server: Any) -> Any:
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", timezone_id="Europe/Paris")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.js_errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
    page.base = live_server.url  # type: ignore[attr-defined]
    return page


@pytest.fixture
def two_visitors(browser: Any, live_server: Any) -> Iterator[tuple[Any, Any]]:
    first, second = _visitor(browser, live_server), _visitor(browser, live_server)
    yield first, second
    for page in (first, second):
        page.context.close()
        assert not page.js_errors, f"JavaScript errors on the page: {page.js_errors}"


def _fill_details(page: Any, first_name: str, email: str) -> None:
    page.get_by_label("First name").fill(first_name)
    page.get_by_label("Last name").fill("Visitor")
    page.get_by_label("Email").fill(email)
    page.wait_for_timeout(1100)  # refused below PORTAL_MIN_FILL_SECONDS


def _open_first_time(page: Any, service_pk: int) -> str:
    page.goto(f"{page.base}/book/alice/?service={service_pk}")
    page.wait_for_url("**tz=Europe%2FParis**")
    slot = page.locator("[data-time]").first
    label = slot.get_attribute("data-time")
    slot.click()
    page.get_by_role("heading", name="Your details").wait_for()
    return label


def test_the_second_visitor_sees_taken_with_fresh_times(two_visitors, settings, alice):
    settings.PORTAL_MIN_FILL_SECONDS = 1
    open_every_day(alice)
    service = make_service(alice)
    winner, loser = two_visitors

    chosen = _open_first_time(winner, service.pk)
    assert _open_first_time(loser, service.pk) == chosen
    details_url = loser.url

    _fill_details(winner, "Wendy", "wendy@example.com")
    winner.get_by_role("button", name="Review booking").click()
    winner.get_by_role("button", name="Confirm booking").click()
    winner.get_by_role("heading", name="You're booked!").wait_for()

    _fill_details(loser, "Larry", "larry@example.com")
    loser.get_by_role("button", name="Review booking").click()
    alert = loser.get_by_role("alert").filter(has_text="that time was just taken")
    alert.wait_for()
    # Give a self-reload (the old bug) its chance to happen, then check the page is intact.
    loser.wait_for_load_state("networkidle")
    loser.wait_for_timeout(500)
    assert "Not Found" not in loser.content()
    assert alert.is_visible()
    assert "/book/alice/?service=" in loser.url and "tz=Europe%2FParis" in loser.url
    times = loser.locator("[data-time]").evaluate_all("els => els.map(e => e.dataset.time)")
    assert chosen not in times and times, times

    # A reload shows the fresh times of the same day, not a 404.
    loser.reload()
    loser.get_by_role("heading", name="Pick a day and time").wait_for()
    again = loser.locator("[data-time]").evaluate_all("els => els.map(e => e.dataset.time)")
    assert again == times

    # Opening the old details link again says at once that the time is gone.
    loser.goto(details_url)
    loser.get_by_role("alert").filter(has_text="that time was just taken").wait_for()
    assert loser.get_by_label("First name").count() == 0
    assert Booking.objects.count() == 1
