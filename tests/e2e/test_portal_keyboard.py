"""The booking page by keyboard and screen reader: day links reachable with Tab (and arrow
keys), focus on the free times after choosing a day and on the first error after a failed
submit; the pages added for clients and branding have no axe-core violations."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from tests.e2e.conftest import DESKTOP, both_sizes
from tests.e2e.test_accessibility import axe_violations, report
from trainerhub.accounts.tests.factories import PASSWORD
from trainerhub.portal.tests.conftest import (
    make_client,
    make_client_user,
    make_service,
    open_every_day,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def active(page: Any, attribute: str) -> str | None:
    return page.evaluate(f"document.activeElement.getAttribute({attribute!r})")


def test_keyboard_picks_a_day_and_a_time_and_lands_on_the_first_error(page, alice):
    open_every_day(alice)
    service = make_service(alice)
    page.goto(f"{page.base}/book/alice/?service={service.pk}&tz=Europe/London")
    page.locator("#tz-select").focus()
    for _ in range(12):  # the month's arrows, then the days: all in the Tab order
        page.keyboard.press("Tab")
        if active(page, "data-day"):
            break
    first_day = active(page, "data-day")
    assert first_day, "a free day is reachable with Tab"
    page.keyboard.press("ArrowRight")
    second_day = active(page, "data-day")
    assert second_day and second_day > first_day

    page.keyboard.press("Enter")
    page.wait_for_url(f"**date={second_day}**")
    # A locator wait, not wait_for_function: the strict CSP refuses the eval it polls with.
    page.locator("[data-time]:focus").wait_for()
    times_label = page.evaluate(
        "document.getElementById(document.activeElement.closest('[role=group]')"
        ".getAttribute('aria-labelledby')).textContent"
    )
    assert times_label.startswith("Free times on ")

    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Your details").wait_for()
    page.get_by_role("button", name="Review booking").focus()
    page.keyboard.press("Enter")
    page.locator(".field.has-error").first.wait_for()
    assert active(page, "name") == "first_name"
    assert active(page, "aria-invalid") == "true"
    described = active(page, "aria-describedby") or ""
    assert "id_first_name_error" in described.split()


def png(color: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), color).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def branded(alice, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from trainerhub.portal.branding import portal_branding_update

    settings.MEDIA_ROOT = tmp_path / "media"
    portal_branding_update(
        trainer=alice,
        business_name="Archer Strength",
        bio="Ten years of coaching.",
        accent_color="#ffd43b",
        logo=SimpleUploadedFile("logo.png", png("#222222")),
        photo=SimpleUploadedFile("me.png", png("#cc8844")),
    )
    open_every_day(alice)
    return make_service(alice, is_online=True, video_url="https://meet.example.com/x")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_branded_and_client_account_pages_have_no_axe_violations(
    browser, live_server, alice, branded, scheme
):
    make_client(alice, "carol@example.com", account=make_client_user("carol@example.com", "x"))
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", color_scheme=scheme)
    context.set_default_timeout(15_000)
    page = context.new_page()
    base = live_server.url
    failures: dict[str, Any] = {}

    def check(name: str) -> None:
        page.wait_for_load_state("networkidle")
        found = axe_violations(page)
        if found:
            failures[name] = found

    try:
        page.goto(f"{base}/book/alice/?tz=Europe/London")
        assert page.locator(".brand-trainer").inner_text() == "Archer Strength"
        check("book-branded")
        both_sizes(page, f"portal-book-branded-{scheme}", reload=True)
        page.goto(f"{base}/book/alice/?service={branded.pk}&tz=Europe/London&embed=1")
        check("book-embedded")
        page.locator("[data-time]").first.click()
        page.get_by_role("button", name="Review booking").click()
        page.locator(".field.has-error").first.wait_for()
        check("book-details-errors")
        for name, path in (
            ("reset", "/my/password/reset/"),
            ("reset-sent", "/my/password/reset/sent/"),
            ("reset-bad-link", "/my/password/reset/MQ/bad-token/"),
            ("reset-done", "/my/password/reset/done/"),
        ):
            page.goto(base + path)
            check(name)
        page.goto(f"{base}/accounts/login/")
        page.fill("input[name=email]", alice.email)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/")
        for name, path in (
            ("branding", "/portal/settings/brand/"),
            ("settings", "/portal/settings/"),
        ):
            page.goto(base + path)
            check(name)
            both_sizes(page, f"portal-{name}-{scheme}", reload=True)
    finally:
        context.close()
    assert not failures, report(failures, f"portal-brand-{scheme}")
