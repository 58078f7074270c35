"""Settings -> Payments and GET/PUT /api/v1/settings/payments: keys write-only, stored
encrypted, shown masked; the mode said; both keys or none; bad input a field message."""

from __future__ import annotations

import pytest
from django.db import connection

from trainerhub.billing.models import StripeAccount
from trainerhub.billing.tests.conftest import SECRET_KEY, WEBHOOK_SECRET

pytestmark = pytest.mark.django_db
URL = "/api/v1/settings/payments"


def test_without_keys_payments_are_off(alice_api):
    body = alice_api.get(URL).json()
    assert body["configured"] is False
    assert "secret_key" not in body


def test_keys_are_write_only_masked_and_encrypted_at_rest(alice_api, alice):
    answer = alice_api.put(
        URL, {"secret_key": SECRET_KEY, "webhook_secret": WEBHOOK_SECRET}, format="json"
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["configured"] is True and body["live"] is False
    assert body["secret_key_hint"] == "••••••••6789"
    assert SECRET_KEY not in answer.content.decode()
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret_key, webhook_secret FROM billing_stripeaccount")
        stored = cursor.fetchone()
    assert SECRET_KEY not in stored[0] and WEBHOOK_SECRET not in stored[1]
    assert StripeAccount.objects.get(trainer=alice).secret_key == SECRET_KEY


def test_an_empty_key_keeps_the_saved_one_and_policy_saves(alice_api, alice):
    alice_api.put(URL, {"secret_key": SECRET_KEY, "webhook_secret": WEBHOOK_SECRET}, format="json")
    body = alice_api.put(
        URL, {"secret_key": "", "late_refund_percent": 50, "hold_minutes": 45}, format="json"
    ).json()
    assert (body["configured"], body["late_refund_percent"], body["hold_minutes"]) == (
        True,
        50,
        45,
    )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"secret_key": SECRET_KEY}, "webhook_secret"),
        ({"secret_key": "pk_test_123", "webhook_secret": WEBHOOK_SECRET}, "secret_key"),
        ({"secret_key": SECRET_KEY, "webhook_secret": "nope"}, "webhook_secret"),
        ({"hold_minutes": 10}, "hold_minutes"),
        ({"late_refund_percent": 101}, "late_refund_percent"),
    ],
)
def test_bad_input_is_400_by_field_and_saves_nothing(alice_api, data, field):
    answer = alice_api.put(URL, data, format="json")
    assert answer.status_code == 400
    assert list(answer.json()) == [field]
    assert not StripeAccount.objects.exists()


def test_live_mode_is_said(alice_api):
    body = alice_api.put(
        URL, {"secret_key": "sk_live_abcdefgh1234", "webhook_secret": WEBHOOK_SECRET}, format="json"
    ).json()
    assert body["live"] is True


def test_each_trainer_sees_only_their_own(alice_api, bob_api):
    alice_api.put(URL, {"secret_key": SECRET_KEY, "webhook_secret": WEBHOOK_SECRET}, format="json")
    assert bob_api.get(URL).json()["configured"] is False


def test_the_page_shows_the_mode_masked_keys_and_the_webhook_address(alice_web, alice):
    page = alice_web.post(
        "/billing/payments/",
        {
            "secret_key": SECRET_KEY,
            "webhook_secret": WEBHOOK_SECRET,
            "hold_minutes": 30,
            "late_refund_percent": 0,
            "deposit_refundable": "on",
        },
        follow=True,
    ).content.decode()
    assert "test mode" in page
    assert "••••••••6789" in page
    assert SECRET_KEY not in page and WEBHOOK_SECRET not in page
    assert "/api/v1/webhooks/stripe/alice" in page


def test_the_page_refuses_a_half_configuration_with_a_field_message(alice_web):
    answer = alice_web.post(
        "/billing/payments/",
        {"secret_key": SECRET_KEY, "hold_minutes": 30, "late_refund_percent": 0},
    )
    assert answer.status_code == 200
    assert "Enter both the secret key and the webhook signing secret." in answer.content.decode()
    assert not StripeAccount.objects.exists()
