"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

No browser is downloaded: the tests use /usr/bin/chromium (or $CHROMIUM_PATH) and FAIL, never
skip, when it is missing, saying how to install it. Screenshots go to
test-artifacts/screenshots/ (ignored by git) so a person can look at every main page.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM would refuse to run
# beside it without this (the tests never share a connection between threads).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"The browser tests need Chromium at {CHROMIUM}. Install it with "
            "`sudo apt-get install chromium` (Debian/Ubuntu) or set CHROMIUM_PATH to a "
            "Chromium binary; `make test` installs it where it may.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.base = live_server.url  # type: ignore[attr-defined]
    page.js_errors = errors  # type: ignore[attr-defined]
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def screenshot(page: Any, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def both_sizes(page: Any, name: str, *, reload: bool = False) -> None:
    """Screenshots of the current page at desktop width and at 375 px, checking nothing is
    wider than the phone's screen. reload=True loads the page again at each size, as a phone
    would (only for pages reached by GET: a reload would send a form again)."""
    for size, label in ((DESKTOP, "desktop"), (PHONE, "375")):
        page.set_viewport_size(size)
        if reload:
            page.reload()
            page.wait_for_load_state("networkidle")
        else:
            page.wait_for_timeout(250)
        screenshot(page, f"{name}-{label}")
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"] + 1:
        # Name the widest elements that stick out, so the failure says what to fix.
        wide = page.evaluate(
            "Array.from(document.querySelectorAll('body *'))"
            ".filter(e => e.getBoundingClientRect().right > innerWidth + 1)"
            ".slice(-5).map(e => e.tagName + '.' + e.className + '#' + e.id)"
        )
        raise AssertionError(f"{name} is {width}px wide at 375px: {wide}")
    page.set_viewport_size(DESKTOP)
