"""Twilio and Telegram adapters against a local server that answers like those services."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from urllib.parse import parse_qs

import pytest
import time_machine

from trainerhub.notifications.channels import (
    Outgoing,
    SendError,
    channel_status,
    sms_twilio,
    telegram,
)
from trainerhub.notifications.dispatcher import dispatch_due
from trainerhub.notifications.models import ClientChannels, Kind, Notification
from trainerhub.notifications.services import (
    telegram_handle_update,
    telegram_link_for_client,
    telegram_poll,
)
from trainerhub.notifications.tests.conftest import make_booking, make_client

pytestmark = pytest.mark.django_db


def test_twilio_send_posts_the_message_with_basic_auth(fake_api):
    sid = sms_twilio.send(Outgoing(to="+447700900123", subject="s", text="long", short_text="Hi"))

    assert sid.startswith("SM")
    (request,) = fake_api.requests
    assert request["path"] == "/2010-04-01/Accounts/AC123/Messages.json"
    auth = base64.b64decode(request["headers"]["Authorization"].split()[1]).decode()
    assert auth == "AC123:secret-token"
    form = {k: v[0] for k, v in parse_qs(request["body"]).items()}
    assert form == {"To": "+447700900123", "From": "+15005550006", "Body": "Hi"}


def test_twilio_error_answer_is_a_permanent_failure_with_its_code(fake_api):
    fake_api.twilio_error = (
        400,
        {
            "code": 21211,
            "message": "The 'To' number +4412 is not a valid phone number.",
            "more_info": "https://www.twilio.com/docs/errors/21211",
            "status": 400,
        },
    )
    with pytest.raises(SendError) as caught:
        sms_twilio.send(Outgoing(to="+4412", subject="s", text="t"))
    assert caught.value.permanent
    assert "21211" in caught.value.message and "not a valid phone number" in caught.value.message


def test_twilio_server_error_is_retried(fake_api):
    fake_api.twilio_error = (503, {"code": 20503, "message": "Service unavailable"})
    with pytest.raises(SendError) as caught:
        sms_twilio.send(Outgoing(to="+447700900123", subject="s", text="t"))
    assert not caught.value.permanent


def test_telegram_send_and_error_answer(fake_api):
    message_id = telegram.send(Outgoing(to="4242", subject="s", text="t", short_text="Hello"))
    assert message_id
    assert json.loads(fake_api.requests[0]["body"])["chat_id"] == "4242"
    assert fake_api.requests[0]["path"] == "/bot123:ABC/sendMessage"
    fake_api.telegram_error = {
        "ok": False,
        "error_code": 400,
        "description": "Bad Request: chat not found",
    }
    with pytest.raises(SendError) as caught:
        telegram.send(Outgoing(to="1", subject="s", text="t"))
    assert caught.value.permanent and "chat not found" in caught.value.message


def test_channels_without_credentials_are_off_and_say_why(settings):
    settings.TWILIO_ACCOUNT_SID = settings.TELEGRAM_BOT_TOKEN = ""
    status = channel_status()
    assert status["sms"][0] is False and "TWILIO_ACCOUNT_SID" in status["sms"][1]
    assert status["telegram"][0] is False and "TELEGRAM_BOT_TOKEN" in status["telegram"][1]
    assert status["email"][0] and status["inapp"][0]


def test_sms_client_gets_sms_reminders_and_email_invitations(
    fake_api, smtp, alice, pt, in_three_days
):
    client = make_client(alice, phone="+447911123456", preferred_channel="sms")
    booking = make_booking(alice, client, pt, in_three_days)
    channels = set(Notification.objects.filter(booking=booking).values_list("kind", "channel"))
    assert channels == {
        (Kind.BOOKING_CONFIRMED, "sms"),
        (Kind.BOOKING_CONFIRMED, "email"),
        (Kind.REMINDER, "sms"),
    }
    dispatch_due()
    with time_machine.travel(in_three_days - timedelta(hours=2), tick=False):
        dispatch_due()
    bodies = [parse_qs(r["body"])["Body"][0] for r in fake_api.requests]
    assert len(bodies) == 2
    assert bodies[1].startswith("Reminder: Personal training in 2 hours")
    assert f"/manage/{booking.manage_token}/" in bodies[1]
    assert len(smtp) == 1


def test_failed_sms_is_logged_with_twilios_reason(fake_api, smtp, alice, pt, in_three_days):
    fake_api.twilio_error = (400, {"code": 21211, "message": "Invalid 'To' Phone Number"})
    # A number our validation accepts that Twilio refuses all the same (its answer is faked).
    client = make_client(alice, phone="+447911123456", preferred_channel="sms")
    booking = make_booking(alice, client, pt, in_three_days)
    dispatch_due()
    row = Notification.objects.get(booking=booking, kind=Kind.BOOKING_CONFIRMED, channel="sms")
    assert row.status == "failed" and row.attempts == 1
    assert "Invalid 'To' Phone Number" in row.last_error
    assert row.attempt_rows.get().outcome == "error"


def test_telegram_deep_link_getupdates_links_the_chat_once(fake_api, alice):
    client = make_client(alice, preferred_channel="telegram")
    link = telegram_link_for_client(client=client)
    assert link.startswith("https://t.me/TrainerHubBot?start=")
    code = link.rsplit("=", 1)[1]
    fake_api.updates = [
        {"update_id": 10, "message": {"text": f"/start {code}", "chat": {"id": 987654}}},
    ]

    assert telegram_poll() == 1
    assert ClientChannels.objects.get(client=client).telegram_chat_id == "987654"
    # the code is one-time: replaying the update links nothing
    update = {"message": {"text": f"/start {code}", "chat": {"id": 1}}}
    assert telegram_handle_update(update) is False
    fake_api.updates = []
    telegram_poll()
    assert json.loads(fake_api.requests[-1]["body"])["offset"] == 11


def test_telegram_client_gets_reminders_by_telegram(fake_api, smtp, alice, pt, in_three_days):
    client = make_client(alice, preferred_channel="telegram")
    ClientChannels.objects.create(trainer=alice, client=client, telegram_chat_id="555")
    make_booking(alice, client, pt, in_three_days)
    with time_machine.travel(in_three_days - timedelta(hours=2), tick=False):
        dispatch_due()
    sent = [json.loads(r["body"]) for r in fake_api.requests if "sendMessage" in r["path"]]
    assert [m["chat_id"] for m in sent] == ["555", "555"]  # confirmation + reminder
    assert sent[1]["text"].startswith("Reminder")


def test_telegram_webhook_links_with_secret_only(client, fake_api, alice):
    from trainerhub.notifications.views import telegram_webhook_secret

    carol = make_client(alice, preferred_channel="telegram")
    code = telegram_link_for_client(client=carol).rsplit("=", 1)[1]
    body = {"update_id": 1, "message": {"text": f"/start {code}", "chat": {"id": 77}}}
    wrong = client.post(
        "/notifications/telegram/webhook/nope/", body, content_type="application/json"
    )
    assert wrong.status_code == 404
    ok = client.post(
        f"/notifications/telegram/webhook/{telegram_webhook_secret()}/",
        body,
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["linked"] is True
    assert ClientChannels.objects.get(client=carol).telegram_chat_id == "77"


def test_webhook_command_sets_the_webhook_and_stops_polling(fake_api, settings):
    from django.core.management import call_command

    settings.SITE_URL = "https://hub.example.com"
    call_command("telegram_webhook")
    body = json.loads(fake_api.requests[-1]["body"])
    assert fake_api.requests[-1]["path"] == "/bot123:ABC/setWebhook"
    assert body["url"].startswith("https://hub.example.com/notifications/telegram/webhook/")
    count = len(fake_api.requests)
    assert telegram_poll() == 0 and len(fake_api.requests) == count
