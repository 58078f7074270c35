"""The notification worker asks the plan before an SMS (dispatcher.skip_reason)."""

from __future__ import annotations

from django.utils import timezone

from trainerhub.plans import services
from trainerhub.plans.models import Subscription
from trainerhub.plans.tests.conftest import make_plan


def test_sms_is_sent_while_plans_are_off(alice):
    assert services.sms_refusal(alice) == ""


def test_a_plan_without_sms_sends_none(alice, plans_on, free_plan):
    assert services.sms_refusal(alice) == "Not sent: SMS is not part of the trainer's plan."


def test_a_used_up_month_sends_none_and_a_plan_with_room_sends(alice, plans_on, pro_plan):
    Subscription.objects.create(
        trainer=alice,
        plan=pro_plan,
        paddle_subscription_id="sub_s",
        status="active",
        paddle_updated_at=timezone.now(),
    )
    assert services.sms_refusal(alice) == ""
    make_plan("None left", paddle_price_id="pri_zero", sms=True, max_sms_per_month=0)
    Subscription.objects.filter(trainer=alice).update(
        plan=pro_plan.__class__.objects.get(paddle_price_id="pri_zero")
    )
    assert services.sms_refusal(alice) == "Not sent: the plan's 0 SMS a month are used up."
