from __future__ import annotations

from typing import Any

from rest_framework import serializers

from trainerhub.plans.models import FEATURES, LIMITS, Plan, Subscription, SubscriptionPayment


class PlanSerializer(serializers.ModelSerializer[Plan]):
    limits = serializers.SerializerMethodField()
    features = serializers.SerializerMethodField()

    class Meta:
        model = Plan
        fields = (
            "id",
            "name",
            "description",
            "price",
            "currency",
            "is_default",
            "limits",
            "features",
        )

    def get_limits(self, plan: Plan) -> dict[str, int | None]:
        """Each limit's most allowed; null: no limit."""
        return {limit: plan.limit_of(limit) for limit in LIMITS}

    def get_features(self, plan: Plan) -> dict[str, bool]:
        return {feature: plan.has_feature(feature) for feature in FEATURES}


class UsageSerializer(serializers.Serializer[dict[str, Any]]):
    limit = serializers.ChoiceField(choices=LIMITS)
    used = serializers.IntegerField()
    allowed = serializers.IntegerField(allow_null=True, help_text="null: no limit")


class SubscriptionStateSerializer(serializers.Serializer[dict[str, Any]]):
    plan = PlanSerializer(allow_null=True, help_text="The plan in force (null: none yet).")
    status = serializers.ChoiceField(
        choices=Subscription.Status.choices,
        allow_null=True,
        help_text="Paddle's status of the subscription (null: no subscription).",
    )
    current_period_end = serializers.DateTimeField(allow_null=True)
    bookings_stop_at = serializers.DateTimeField(
        allow_null=True, help_text="Set while the subscription has lapsed."
    )
    bookings_stopped = serializers.BooleanField()
    usage = UsageSerializer(many=True)
    billing_url = serializers.CharField()


class SubscriptionPaymentSerializer(serializers.ModelSerializer[SubscriptionPayment]):
    class Meta:
        model = SubscriptionPayment
        fields = ("id", "amount", "currency", "billed_at", "invoice_number")
