"""A client can reach their calendar feed and connect Telegram: both are in the confirmation
email, on the booking's manage page and on "My appointments", with how to use them."""

from __future__ import annotations

import re

import pytest
from django.test import Client as Browser

from trainerhub.accounts.models import User
from trainerhub.clients.models import Client
from trainerhub.notifications.dispatcher import dispatch_due
from trainerhub.notifications.models import ClientChannels
from trainerhub.notifications.services import telegram_handle_update
from trainerhub.notifications.tests.conftest import make_booking, make_client
from trainerhub.notifications.tests.test_email import parts

pytestmark = pytest.mark.django_db
FEED = re.compile(r"https://hub\.example\.com/calendar/[\w-]+\.ics")
TELEGRAM = re.compile(r"https://t\.me/TrainerHubBot\?start=([\w-]+)")


def confirmation(smtp):
    (mail,) = [m for m in smtp.messages if m["Subject"].startswith("Booked:")]
    return parts(mail)


def test_confirmation_email_gives_the_feed_and_the_telegram_link(
    smtp, fake_api, alice, carol, pt, in_three_days
):
    booking = make_booking(alice, carol, pt, in_three_days)
    dispatch_due()
    text, html, _ = confirmation(smtp)

    (feed,) = FEED.findall(text)
    assert f'href="{feed}"' in html
    assert "All your sessions in your calendar: subscribe" in text
    (code,) = TELEGRAM.findall(text)
    assert "press Start" in text and f"?start={code}" in html
    # The feed serves this client's sessions.
    calendar = Browser().get(feed.removeprefix("https://hub.example.com"))
    assert calendar.status_code == 200
    assert calendar["Content-Type"] == "text/calendar; charset=utf-8"
    assert f"UID:booking-{booking.pk}@hub.example.com" in calendar.content.decode()


def test_manage_page_shows_the_same_links_and_then_the_connected_chat(
    smtp, fake_api, alice, carol, pt, in_three_days
):
    booking = make_booking(alice, carol, pt, in_three_days)
    dispatch_due()
    text, _, _ = confirmation(smtp)
    page = Browser().get(f"/manage/{booking.manage_token}/").content.decode()

    assert FEED.findall(page) == FEED.findall(text)
    assert "Subscribe to this private address" in page
    # Looking at the page does not void the link the email gave a minute ago.
    assert TELEGRAM.findall(page) == TELEGRAM.findall(text)
    (code,) = TELEGRAM.findall(text)
    update = {"message": {"text": f"/start {code}", "chat": {"id": 4242}}}
    assert telegram_handle_update(update) is True
    carol.refresh_from_db()
    assert carol.preferred_channel == "telegram"
    assert ClientChannels.objects.get(client=carol).telegram_chat_id == "4242"

    page = Browser().get(f"/manage/{booking.manage_token}/").content.decode()
    assert "Your Telegram is connected" in page
    assert TELEGRAM.findall(page) == []


def test_my_appointments_gives_one_feed_and_link_per_trainer(
    settings, fake_api, alice, bob, pt, in_three_days
):
    settings.SITE_URL = "https://hub.example.com"
    user = User.objects.create_user(
        "dana@example.com", "pw-long-enough-1", name="Dana", role="client"
    )
    at_alice = make_client(alice, first_name="Dana", email="dana@example.com")
    at_bob = make_client(bob, first_name="Dana", email="dana@example.com")
    Client.objects.filter(pk__in=[at_alice.pk, at_bob.pk]).update(account=user)
    make_booking(alice, at_alice, pt, in_three_days)
    browser = Browser()
    browser.force_login(user)

    page = browser.get("/my/").content.decode()

    assert len(set(FEED.findall(page))) == 2
    assert len(set(TELEGRAM.findall(page))) == 2
    for trainer in (alice, bob):
        assert f"Your sessions with {trainer.display_name}, everywhere" in page


def test_without_telegram_on_the_server_only_the_feed_is_offered(
    smtp, alice, carol, pt, in_three_days
):
    booking = make_booking(alice, carol, pt, in_three_days)
    dispatch_due()
    text, _, _ = confirmation(smtp)
    page = Browser().get(f"/manage/{booking.manage_token}/").content.decode()

    assert len(FEED.findall(text)) == 1 and len(FEED.findall(page)) == 1
    assert "t.me/" not in text and "t.me/" not in page
    assert "Telegram" not in page
