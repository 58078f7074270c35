"""The unread count beside "Notifications" changes without a reload (issue 18.17): htmx asks
for the badge again every poll (30 s in production; 1 s here) for the trainer and for a client
in their portal. The page is loaded once; the count follows what happens on the server."""

from __future__ import annotations

import pytest

from trainerhub.core.tests import factories
from trainerhub.notifications import services
from trainerhub.notifications.models import ClientInAppNotification
from trainerhub.notifications.tests.conftest import make_booking
from trainerhub.portal import claims

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLIENT_PASSWORD = "a long client password 2024"


@pytest.fixture(autouse=True)
def _poll_every_second(settings):
    settings.NOTIFICATIONS_POLL_SECONDS = 1


def test_the_trainers_count_follows_new_notifications(page, alice, password):
    page.goto(f"{page.base}/accounts/login/")
    page.fill("input[name=email]", alice.email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{page.base}/")
    badge = page.locator("nav[aria-label=Main] #unread-badge")
    assert badge.get_attribute("data-unread") == "0"
    marker = page.evaluate("() => (window.__loaded_once = performance.timeOrigin)")
    services.notify_trainer_in_app(trainer=alice, title="New booking: Carol")
    services.notify_trainer_in_app(trainer=alice, title="New booking: Dave")
    badge.locator(".badge", has_text="2").wait_for()
    services.notifications_mark_all_read(trainer=alice)
    page.locator("nav[aria-label=Main] #unread-badge[data-unread='0']").wait_for(state="attached")
    assert page.evaluate("() => window.__loaded_once") == marker  # never reloaded


def test_the_clients_count_follows_what_the_trainer_does(page, alice):
    factories.open_every_day(alice, "00:00", "23:59")
    service = factories.make_service(alice)
    carol = factories.make_client(alice, first_name="Carol", email="carol@example.com")
    claims.client_account_claim(token=claims.claim_token(carol), password=CLIENT_PASSWORD)
    page.goto(f"{page.base}/my/login/")
    page.fill("input[name=email]", "carol@example.com")
    page.fill("input[name=password]", CLIENT_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{page.base}/my/")
    nav = page.locator("nav[aria-label=Client]")
    assert nav.locator("#unread-badge").get_attribute("data-unread") == "0"
    marker = page.evaluate("() => (window.__loaded_once = performance.timeOrigin)")
    carol.refresh_from_db()
    make_booking(alice, carol, service, factories.local_at(alice, 3, "12:00"))
    assert ClientInAppNotification.objects.filter(client=carol).count() == 1
    nav.locator("#unread-badge .badge", has_text="1").wait_for()
    assert page.evaluate("() => window.__loaded_once") == marker  # never reloaded
    nav.get_by_role("link", name="Notifications").click()
    page.get_by_role("button", name="Mark read").click()
    page.get_by_role("button", name="Mark read").wait_for(state="detached")
    # On the centre's page, marking the line read (htmx) brings the bell to 0 at its next poll.
    page.locator("nav[aria-label=Client] #unread-badge[data-unread='0']").wait_for(state="attached")
