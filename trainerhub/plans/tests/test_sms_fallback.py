"""A plan without SMS: a client who prefers SMS gets their messages by email instead of a
text the worker would skip (and so nothing at all)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from trainerhub.core.tests.factories import make_client
from trainerhub.notifications import prefs
from trainerhub.notifications.models import Kind
from trainerhub.plans.models import Subscription

pytestmark = pytest.mark.django_db


@pytest.fixture
def texter(alice, settings):
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN = "AC123", "secret-token"
    settings.TWILIO_FROM_NUMBER = "+15005550006"
    client = make_client(alice, email="sam@example.com", phone="+44 7400 123456")
    client.preferred_channel = "sms"
    client.save(update_fields=["preferred_channel"])
    return client


def test_without_plans_the_text_goes(alice, texter):
    assert prefs.client_channels(alice, texter, Kind.REMINDER) == ["sms"]


def test_a_plan_without_sms_sends_the_email_instead(alice, texter, plans_on, free_plan):
    assert prefs.client_channels(alice, texter, Kind.REMINDER) == ["email"]


def test_a_plan_with_sms_texts(alice, texter, plans_on, pro_plan):
    Subscription.objects.create(
        trainer=alice,
        plan=pro_plan,
        paddle_subscription_id="sub_t",
        status="active",
        paddle_updated_at=timezone.now(),
    )
    assert prefs.client_channels(alice, texter, Kind.REMINDER) == ["sms"]


def test_the_settings_page_says_sms_is_not_on_the_plan_and_keeps_its_choices(
    client, alice, texter, plans_on, free_plan
):
    from trainerhub.notifications.models import NotificationPreference

    client.force_login(alice)
    page = client.get("/notifications/settings/").content.decode()
    assert "off: not part of your plan" in page and 'href="/plans/"' in page
    assert 'name="pref:reminder:sms"' in page
    box = page.split('name="pref:reminder:sms"', 1)[1].split("</label>", 1)[0]
    assert 'disabled aria-describedby="why-plan-sms"' in box and "(not on your plan)" in box
    assert 'id="why-plan-sms"' in page

    answer = client.post("/notifications/settings/", {"reminder_offsets": "24h", "agenda_hour": 7})

    assert answer.status_code == 302
    assert not NotificationPreference.objects.filter(channel="sms").exists()  # kept (on)
    assert NotificationPreference.objects.get(kind=Kind.REMINDER, channel="email").enabled is False


def test_without_plans_the_sms_boxes_are_offered(client, alice, texter):
    client.force_login(alice)
    page = client.get("/notifications/settings/").content.decode()
    box = page.split('name="pref:reminder:sms"', 1)[1].split("</label>", 1)[0]
    assert "disabled" not in box and "not on your plan" not in page


def test_a_plan_without_sms_offers_no_twilio_account_and_refuses_one(
    client, alice, texter, plans_on, free_plan
):
    from trainerhub.core.errors import Conflict
    from trainerhub.notifications import services as notification_services
    from trainerhub.notifications.models import SmsAccount

    client.force_login(alice)
    page = client.get("/notifications/settings/").content.decode()
    section = page.split('id="sms-account"', 1)[1].split("</section>", 1)[0]
    assert "SMS is not part of your plan, so nothing is texted." in section
    assert 'name="account_sid"' not in section

    with pytest.raises(Conflict) as refused:
        notification_services.sms_account_set(
            trainer=alice, account_sid="AC1", auth_token="t", from_number="+15005550006"
        )
    assert refused.value.code == "plan_limit" and refused.value.extra["limit"] == "sms"
    answer = client.post(
        "/notifications/settings/sms/",
        {"account_sid": "AC1", "auth_token": "t", "from_number": "+15005550006"},
    )
    assert answer.status_code == 200
    assert "SMS is not part of your plan" in answer.content.decode()
    assert not SmsAccount.objects.exists()
