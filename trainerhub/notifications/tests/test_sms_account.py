"""A trainer's own Twilio account (issue 18.16): checked with Twilio before it is stored,
the token encrypted at rest and never shown back, used for their texts instead of the
operator's, and the operator's account stays the fallback."""

from __future__ import annotations

import base64
from urllib.parse import parse_qs

import pytest
from django.db import connection
from django.urls import reverse

from trainerhub.core.errors import InvalidInput
from trainerhub.notifications import services
from trainerhub.notifications.channels import channel_status, is_on
from trainerhub.notifications.dispatcher import dispatch_due
from trainerhub.notifications.models import Kind, Notification, SmsAccount
from trainerhub.notifications.tests.conftest import make_booking, make_client

pytestmark = pytest.mark.django_db

SID = "AC" + "0123456789abcdef" * 2
TOKEN = "f" * 32


@pytest.fixture
def own_twilio(fake_api):
    fake_api.twilio_accounts[SID] = TOKEN
    return fake_api


def _auth(request) -> str:
    return base64.b64decode(request["headers"]["Authorization"].split()[1]).decode()


def test_connecting_checks_with_twilio_and_stores_the_token_encrypted(own_twilio, alice):
    account = services.sms_account_set(
        trainer=alice, account_sid=SID, auth_token=TOKEN, from_number="+44 7700 900123"
    )
    assert account.from_number == "+447700900123"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT auth_token FROM notifications_smsaccount WHERE id = %s", [account.pk]
        )
        (raw,) = cursor.fetchone()
    assert raw.startswith("enc1:") and TOKEN not in raw
    assert SmsAccount.objects.get(pk=account.pk).auth_token == TOKEN
    # Changing the number without the token keeps the stored one.
    services.sms_account_set(trainer=alice, account_sid=SID, from_number="+447700900999")
    assert SmsAccount.objects.get(trainer=alice).auth_token == TOKEN


def test_a_token_twilio_refuses_is_not_stored(own_twilio, alice):
    with pytest.raises(InvalidInput) as refused:
        services.sms_account_set(
            trainer=alice, account_sid=SID, auth_token="a" * 32, from_number="+447700900123"
        )
    assert refused.value.errors == {
        "auth_token": [
            "Twilio refused this account SID and auth token: check both in Twilio's console."
        ]
    }
    assert not SmsAccount.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"account_sid": "AC123"}, "account_sid"),
        ({"auth_token": "not a token!"}, "auth_token"),
        ({"from_number": "07700 900123"}, "from_number"),
    ],
)
def test_bad_input_is_named_by_field_and_asks_twilio_nothing(own_twilio, alice, fields, field):
    values = {"account_sid": SID, "auth_token": TOKEN, "from_number": "+447700900123", **fields}
    with pytest.raises(InvalidInput) as refused:
        services.sms_account_set(trainer=alice, **values)
    assert list(refused.value.errors) == [field]
    assert own_twilio.requests == []


def test_the_trainers_texts_go_through_their_account_and_others_through_the_operators(
    own_twilio, smtp, alice, bob, pt, in_three_days
):
    services.sms_account_set(
        trainer=alice, account_sid=SID, auth_token=TOKEN, from_number="+447700900123"
    )
    own_twilio.requests.clear()
    client = make_client(alice, phone="+447911123456", preferred_channel="sms")
    booking = make_booking(alice, client, pt, in_three_days)
    dispatch_due()
    row = Notification.objects.get(booking=booking, kind=Kind.BOOKING_CONFIRMED, channel="sms")
    assert row.status == "sent"
    (sent,) = [r for r in own_twilio.requests if r["path"].endswith("/Messages.json")]
    assert sent["path"] == f"/2010-04-01/Accounts/{SID}/Messages.json"
    assert _auth(sent) == f"{SID}:{TOKEN}"
    assert parse_qs(sent["body"])["From"] == ["+447700900123"]
    # bob has no account of his own: the operator's (the environment's) is his.
    assert is_on("sms", bob.pk)


def test_without_the_operators_account_only_the_trainer_with_their_own_can_text(
    own_twilio, settings, alice, bob
):
    settings.TWILIO_ACCOUNT_SID = settings.TWILIO_AUTH_TOKEN = settings.TWILIO_FROM_NUMBER = ""
    services.sms_account_set(
        trainer=alice, account_sid=SID, auth_token=TOKEN, from_number="+447700900123"
    )
    assert channel_status(alice.pk)["sms"] == (True, "")
    assert channel_status(bob.pk)["sms"][0] is False
    services.sms_account_remove(trainer=alice)
    assert not is_on("sms", alice.pk)


def test_the_settings_page_connects_masks_and_disconnects(own_twilio, client, alice):
    client.force_login(alice)
    url = reverse("notifications:sms_account_save")
    response = client.post(
        url, {"sms-account_sid": SID, "sms-auth_token": "", "sms-from_number": "+447700900123"}
    )
    assert response.status_code == 200
    assert "Paste the auth token from Twilio" in response.content.decode()
    response = client.post(
        url,
        {"sms-account_sid": SID, "sms-auth_token": TOKEN, "sms-from_number": "+447700900123"},
        follow=True,
    )
    page = response.content.decode()
    assert "Your Twilio account is connected" in page
    assert "Texts to your clients go from <strong>+447700900123</strong>" in page
    assert TOKEN not in page
    client.post(reverse("notifications:sms_account_remove"))
    assert not SmsAccount.objects.exists()


def test_another_trainer_never_sees_or_uses_the_account(own_twilio, client, alice, bob):
    services.sms_account_set(
        trainer=alice, account_sid=SID, auth_token=TOKEN, from_number="+447700900123"
    )
    client.force_login(bob)
    page = client.get(reverse("notifications:settings")).content.decode()
    assert SID not in page and "+447700900123" not in page
    client.post(reverse("notifications:sms_account_remove"))
    assert SmsAccount.objects.filter(trainer=alice).exists()
