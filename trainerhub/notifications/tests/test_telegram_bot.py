"""A trainer's own Telegram bot (issue 18.16): checked with Telegram (getMe) before it is
stored, the token encrypted at rest and shown masked, used for their clients' messages and
links instead of the operator's bot, with the operator's bot as the fallback; each bot's
webhook and polling link only the clients that bot serves."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.urls import reverse

from trainerhub.core.errors import InvalidInput
from trainerhub.notifications import services
from trainerhub.notifications.channels import channel_status, is_on
from trainerhub.notifications.dispatcher import dispatch_due
from trainerhub.notifications.models import ClientChannels, Kind, Notification, TelegramBot
from trainerhub.notifications.tests.conftest import make_booking, make_client

pytestmark = pytest.mark.django_db

TOKEN = "7012345678:AAH" + "x" * 32
OTHER = "7099999999:AAH" + "y" * 32


@pytest.fixture
def own_bot(fake_api):
    fake_api.telegram_bots[TOKEN] = "AliceStudioBot"
    fake_api.telegram_bots[OTHER] = "AliceNewBot"
    return fake_api


def _sent(api, token: str) -> list[dict]:
    return [json.loads(r["body"]) for r in api.requests if r["path"] == f"/bot{token}/sendMessage"]


def test_connecting_asks_telegram_and_stores_the_token_encrypted(own_bot, alice):
    bot = services.telegram_bot_set(trainer=alice, bot_token=f"  {TOKEN} ")
    assert bot.bot_name == "AliceStudioBot"
    with connection.cursor() as cursor:
        cursor.execute("SELECT bot_token FROM notifications_telegrambot WHERE id = %s", [bot.pk])
        (raw,) = cursor.fetchone()
    assert raw.startswith("enc1:") and TOKEN not in raw
    assert TelegramBot.objects.get(pk=bot.pk).bot_token == TOKEN
    assert [r["path"] for r in own_bot.requests] == [f"/bot{TOKEN}/getMe"]


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("not a token", "A bot token looks like 123456789:AAE... (from @BotFather)."),
        (
            "7000000000:AAH" + "z" * 32,
            "Telegram refused this bot token: copy it again from @BotFather.",
        ),
    ],
)
def test_a_bad_token_is_a_field_message_and_nothing_is_stored(own_bot, alice, token, message):
    with pytest.raises(InvalidInput) as refused:
        services.telegram_bot_set(trainer=alice, bot_token=token)
    assert refused.value.errors == {"bot_token": [message]}
    assert not TelegramBot.objects.exists()


def test_the_trainers_clients_get_messages_from_their_bot(
    own_bot, smtp, alice, bob, pt, in_three_days
):
    services.telegram_bot_set(trainer=alice, bot_token=TOKEN)
    carol = make_client(alice, preferred_channel="telegram")
    ClientChannels.objects.create(trainer=alice, client=carol, telegram_chat_id="555")
    booking = make_booking(alice, carol, pt, in_three_days)
    dispatch_due()
    row = Notification.objects.get(booking=booking, kind=Kind.BOOKING_CONFIRMED, channel="telegram")
    assert row.status == "sent"
    assert [m["chat_id"] for m in _sent(own_bot, TOKEN)] == ["555"]
    assert _sent(own_bot, "123:ABC") == []
    # bob has no bot of his own: the operator's (the environment's) is his.
    assert services.telegram_link_for_client(
        client=make_client(bob, email="b@example.com")
    ).startswith("https://t.me/TrainerHubBot?start=")
    assert services.telegram_link_for_client(client=carol).startswith(
        "https://t.me/AliceStudioBot?start="
    )


def test_without_the_operators_bot_only_the_trainer_with_their_own_has_telegram(
    own_bot, settings, alice, bob
):
    settings.TELEGRAM_BOT_TOKEN = settings.TELEGRAM_BOT_NAME = ""
    services.telegram_bot_set(trainer=alice, bot_token=TOKEN)
    assert channel_status(alice.pk)["telegram"] == (True, "")
    assert channel_status(bob.pk)["telegram"][0] is False
    assert services.telegram_link_for_client(client=make_client(bob)) is None
    services.telegram_bot_remove(trainer=alice)
    assert not is_on("telegram", alice.pk)


def test_each_bots_webhook_links_only_the_clients_it_serves(client, own_bot, alice, bob):
    bot = services.telegram_bot_set(trainer=alice, bot_token=TOKEN)
    carol = make_client(alice)
    dave = make_client(bob, email="dave@example.com")
    carol_code = services.telegram_link_for_client(client=carol).rsplit("=", 1)[1]
    dave_code = services.telegram_link_for_client(client=dave).rsplit("=", 1)[1]

    def post(secret: str, code: str, chat: int):
        body = {"update_id": 1, "message": {"text": f"/start {code}", "chat": {"id": chat}}}
        url = reverse("notifications:telegram_webhook", args=[secret])
        return client.post(url, body, content_type="application/json")

    from trainerhub.notifications.views import telegram_webhook_secret

    # bob's client's code means nothing to alice's bot, nor alice's client's to the operator's.
    assert post(bot.webhook_secret, dave_code, 1).json()["linked"] is False
    assert post(telegram_webhook_secret(), carol_code, 2).json()["linked"] is False
    assert post(bot.webhook_secret, carol_code, 3).json()["linked"] is True
    assert post(telegram_webhook_secret(), dave_code, 4).json()["linked"] is True
    assert post("not-a-bot", dave_code, 5).status_code == 404
    chats = dict(ClientChannels.objects.values_list("client_id", "telegram_chat_id"))
    assert chats == {carol.pk: "3", dave.pk: "4"}


def test_the_worker_polls_the_trainers_bot_when_it_has_no_webhook(own_bot, alice):
    services.telegram_bot_set(trainer=alice, bot_token=TOKEN)  # SITE_URL is not HTTPS
    carol = make_client(alice)
    code = services.telegram_link_for_client(client=carol).rsplit("=", 1)[1]
    own_bot.updates = [
        {"_bot": TOKEN, "update_id": 40, "message": {"text": f"/start {code}", "chat": {"id": 9}}}
    ]
    assert services.telegram_poll() == 1
    assert ClientChannels.objects.get(client=carol).telegram_chat_id == "9"
    own_bot.updates = []
    services.telegram_poll()
    polls = [r for r in own_bot.requests if r["path"] == f"/bot{TOKEN}/getUpdates"]
    assert json.loads(polls[-1]["body"])["offset"] == 41


def test_an_https_site_sets_the_bots_webhook(own_bot, settings, alice):
    settings.SITE_URL = "https://hub.example.com"
    bot = services.telegram_bot_set(trainer=alice, bot_token=TOKEN)
    assert bot.webhook_set is True
    (hook,) = [r for r in own_bot.requests if r["path"] == f"/bot{TOKEN}/setWebhook"]
    url = json.loads(hook["body"])["url"]
    assert url == f"https://hub.example.com/notifications/telegram/webhook/{bot.webhook_secret}/"
    assert TOKEN not in url


def test_changing_the_bot_unlinks_the_chats_of_the_old_one(own_bot, alice):
    services.telegram_bot_set(trainer=alice, bot_token=TOKEN)
    carol = make_client(alice, preferred_channel="telegram")
    ClientChannels.objects.create(trainer=alice, client=carol, telegram_chat_id="555")
    services.telegram_bot_set(trainer=alice, bot_token=TOKEN)  # the same bot: nothing changes
    assert ClientChannels.objects.get(client=carol).telegram_chat_id == "555"
    services.telegram_bot_set(trainer=alice, bot_token=OTHER)
    assert ClientChannels.objects.get(client=carol).telegram_chat_id == ""
    assert TelegramBot.objects.get(trainer=alice).bot_name == "AliceNewBot"


def test_the_settings_page_connects_masks_and_disconnects(own_bot, client, alice):
    client.force_login(alice)
    url = reverse("notifications:telegram_bot_save")
    response = client.post(url, {"telegram-bot_token": "nope"})
    assert response.status_code == 200
    assert "A bot token looks like" in response.content.decode()
    response = client.post(url, {"telegram-bot_token": TOKEN}, follow=True)
    page = response.content.decode()
    assert "Your bot @AliceStudioBot is connected." in page
    assert "7012345678:…xxxx" in page
    assert TOKEN not in page
    client.post(reverse("notifications:telegram_bot_remove"))
    assert not TelegramBot.objects.exists()


def test_another_trainer_never_sees_or_uses_the_bot(own_bot, client, alice, bob):
    services.telegram_bot_set(trainer=alice, bot_token=TOKEN)
    client.force_login(bob)
    page = client.get(reverse("notifications:settings")).content.decode()
    assert "AliceStudioBot" not in page and "7012345678" not in page
    client.post(reverse("notifications:telegram_bot_remove"))
    assert TelegramBot.objects.filter(trainer=alice).exists()
