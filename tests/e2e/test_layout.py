"""The layout breaks the walkthrough found, each measured in the browser: actions that ran
off a phone's screen, unstyled fieldsets, a checkbox list in one label, a stretched status
pill, sessions that could not be opened, cards touching, mixed and US-style dates, and
Django's bare 404 page."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e import demo
from tests.e2e.conftest import PHONE, screenshot
from trainerhub.clients.models import Client
from trainerhub.scheduling.models import Booking

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WEEKDAY = r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
MONTH = r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"


def login(page: Any, trainer: Any) -> None:
    page.goto(f"{page.base}/accounts/login/")
    page.fill("input[name=email]", trainer.email)
    page.fill("input[name=password]", demo.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{page.base}/")


def boxes(page: Any, selector: str) -> list[dict[str, float]]:
    return page.locator(selector).evaluate_all(
        """els => els.filter(e => e.offsetParent !== null).map(e => {
            const r = e.getBoundingClientRect();
            return {x: r.left, y: r.top + window.scrollY, right: r.right,
                    bottom: r.bottom + window.scrollY};
        })"""
    )


def apart(a: dict[str, float], b: dict[str, float], gap: float = 8) -> bool:
    return (
        a["right"] + gap <= b["x"]
        or b["right"] + gap <= a["x"]
        or a["bottom"] + gap <= b["y"]
        or b["bottom"] + gap <= a["y"]
    )


def assert_cards_apart(page: Any, name: str) -> None:
    cards = boxes(page, ".card")
    touching = [
        (i, j)
        for i in range(len(cards))
        for j in range(i + 1, len(cards))
        if not apart(cards[i], cards[j])
    ]
    assert touching == [], f"{name}: cards touch or overlap: {touching}"


def assert_one_date_style(page: Any, name: str) -> None:
    text = page.locator("main").inner_text()
    padded = re.findall(rf"\b{WEEKDAY},? 0\d\b", text)
    # "Dec 3" is month first; "Dec 07:00" is a day and then a time.
    month_first = re.findall(rf"\b{MONTH} \d{{1,2}}\b(?!:)", text)
    assert (padded, month_first) == ([], []), f"{name}: {padded} {month_first}"


@pytest.fixture
def trainer(page):
    trainer = demo.build()
    login(page, trainer)
    return trainer


def test_bookings_list_actions_stay_on_a_phones_screen(page, trainer):
    page.set_viewport_size(PHONE)
    page.goto(f"{page.base}/scheduling/bookings/")
    actions = boxes(page, ".bookings-table .actions > *")
    assert len(actions) > 20
    outside = [a for a in actions if a["x"] < 0 or a["right"] > PHONE["width"]]
    assert outside == []
    screenshot(page, "layout-bookings-375")


def test_client_form_sections_and_choice_lists_are_styled(page, trainer):
    page.goto(f"{page.base}/clients/new/")
    style = page.locator("form fieldset").first.evaluate(
        "e => [getComputedStyle(e).borderTopStyle, getComputedStyle(e).borderRadius]"
    )
    assert style == ["solid", "8px"]
    # The booking page settings' services: a fieldset with one label per checkbox.
    page.goto(f"{page.base}/portal/settings/")
    services = page.locator("fieldset.choice-list")
    assert services.locator("legend").inner_text() == "Bookable online"
    checkbox = page.get_by_label("Personal training", exact=True)
    assert checkbox.get_attribute("type") == "checkbox"
    rows = boxes(page, "fieldset.choice-list label.checkbox")
    assert len(rows) == 4 and len({r["y"] for r in rows}) == 4  # one line each


def test_client_sessions_open_and_cards_keep_apart(page, trainer):
    client = Client.objects.filter(trainer=trainer, bookings__isnull=False).first()
    page.goto(f"{page.base}/clients/{client.pk}/")
    assert_cards_apart(page, "client")
    assert_one_date_style(page, "client")
    link = page.locator(".session-row a").first
    href = link.get_attribute("href")
    assert re.fullmatch(r"/scheduling/bookings/\d+/", href)
    link.click()
    page.wait_for_url(f"{page.base}{href}")
    for name, path in (("dashboard", "/"), ("bookings", "/scheduling/bookings/")):
        page.goto(page.base + path)
        assert_cards_apart(page, name)
        assert_one_date_style(page, name)


def test_calendar_title_is_day_first(page, trainer):
    page.goto(f"{page.base}/scheduling/calendar/")
    title = page.locator(".fc-toolbar-title").inner_text()
    # "30 Nov - 6 Dec 2026" or "1 - 7 Dec 2026" (an en dash), never "Nov 30 - Dec 6, 2026".
    day_first = rf"\d{{1,2}}( {MONTH})?( \d{{4}})? \u2013 \d{{1,2}} {MONTH} \d{{4}}"
    assert re.fullmatch(day_first, title), title
    header = page.locator("th.fc-col-header-cell").first.inner_text()
    assert re.fullmatch(rf"{WEEKDAY} \d{{1,2}}\s*Book", header), header


def test_manage_page_status_is_a_pill(browser, live_server):
    trainer = demo.build()
    booking = Booking.objects.filter(trainer=trainer, status="confirmed").last()
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server.url}/manage/{booking.manage_token}/")
    pill = page.locator(".status").first
    box = pill.bounding_box()
    assert pill.inner_text().strip() == "Confirmed" and box["width"] < 120
    assert pill.evaluate("e => getComputedStyle(e).borderTopStyle") == "solid"
    context.close()


def test_a_missing_page_wears_the_product(page, trainer):
    response = page.goto(f"{page.base}/clients/999999/")
    assert response.status == 404
    assert page.get_by_role("heading", name="We can\u2019t find that page").is_visible()
    assert page.locator("nav[aria-label=Main]").is_visible()  # the trainer's own navigation
    assert page.locator(".error-page").evaluate("e => getComputedStyle(e).textAlign") == "center"
