"""Plans for trainers (the SaaS side): what a plan allows, the trainer's subscription as
Paddle reports it, the webhook events already handled and the payments of a subscription.

Money in Decimal with its currency; times in UTC. A subscription's state is only ever
written from Paddle's signed webhooks (plans/paddle_events.py), never from a page.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from trainerhub.core.currencies import CURRENCY_CHOICES

# The limits a plan can set, by the name the API's `plan_limit` refusal gives.
ACTIVE_CLIENTS = "active_clients"
SERVICES = "services"
BOOKINGS_PER_MONTH = "bookings_per_month"
SMS_PER_MONTH = "sms_per_month"
LIMITS = (ACTIVE_CLIENTS, SERVICES, BOOKINGS_PER_MONTH, SMS_PER_MONTH)

# Features a plan can include.
ONLINE_PAYMENTS = "online_payments"
SMS = "sms"
CUSTOM_BRANDING = "custom_branding"
FEATURES = (ONLINE_PAYMENTS, SMS, CUSTOM_BRANDING)


class Plan(models.Model):
    """What a trainer may use; an empty limit means no limit."""

    name = models.CharField(max_length=80)
    description = models.CharField(max_length=300, blank=True)
    price = models.DecimalField(
        max_digits=10, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, default="EUR")
    paddle_price_id = models.CharField(
        "Paddle price id",
        max_length=64,
        blank=True,
        help_text="pri_...: the price trainers subscribe to. Empty for a free plan.",
    )
    is_default = models.BooleanField(
        "default (free) plan",
        default=False,
        help_text="Trainers without a paid subscription get this plan. At most one.",
    )
    is_public = models.BooleanField(default=True, help_text="Offered on the Billing page.")
    sort_order = models.PositiveSmallIntegerField(default=0)
    max_active_clients = models.PositiveIntegerField(null=True, blank=True)
    max_services = models.PositiveIntegerField(null=True, blank=True)
    max_bookings_per_month = models.PositiveIntegerField(null=True, blank=True)
    max_sms_per_month = models.PositiveIntegerField(null=True, blank=True)
    online_payments = models.BooleanField(default=False)
    sms = models.BooleanField("SMS", default=False)
    custom_branding = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("sort_order", "price", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="plans_one_default_plan",
            ),
            models.UniqueConstraint(
                fields=["paddle_price_id"],
                condition=~models.Q(paddle_price_id=""),
                name="plans_unique_paddle_price",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def limit_of(self, limit: str) -> int | None:
        """The most this plan allows of `limit` (None: no limit)."""
        value: int | None = getattr(self, f"max_{limit}")
        return value

    def has_feature(self, feature: str) -> bool:
        return bool(getattr(self, feature))


class Subscription(models.Model):
    """A trainer's Paddle subscription, one row per trainer, as the last webhook said."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        TRIALING = "trialing", "Trial"
        PAST_DUE = "past_due", "Payment overdue"
        PAUSED = "paused", "Paused"
        CANCELED = "canceled", "Cancelled"

    GOOD_STANDING = (Status.ACTIVE, Status.TRIALING)
    LAPSED = (Status.PAST_DUE, Status.PAUSED)

    trainer = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plan_subscription"
    )
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.PROTECT)
    paddle_subscription_id = models.CharField(max_length=64, unique=True)
    paddle_customer_id = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    current_period_end = models.DateTimeField(null=True, blank=True)
    canceled_at = models.DateTimeField(null=True, blank=True)
    # Set when the subscription lapses (past due, paused, cancelled without a free plan):
    # until then the trainer may still take new bookings; they are told the date.
    grace_until = models.DateTimeField(null=True, blank=True)
    # occurred_at of the last event applied: an older event arriving late changes nothing.
    paddle_updated_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.trainer_id}: {self.status}"


class PaddleEvent(models.Model):
    """A webhook event handled once: its id is unique, written in the transaction that acts."""

    event_id = models.CharField(max_length=64, unique=True)
    event_type = models.CharField(max_length=64)
    occurred_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    outcome = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id}"


class SubscriptionPayment(models.Model):
    """A completed Paddle transaction of a trainer's subscription (their invoice from us)."""

    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plan_payments"
    )
    subscription = models.ForeignKey(
        Subscription, null=True, blank=True, on_delete=models.SET_NULL, related_name="payments"
    )
    paddle_transaction_id = models.CharField(max_length=64, unique=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    billed_at = models.DateTimeField()
    invoice_number = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ("-billed_at", "-id")

    def __str__(self) -> str:
        return f"{self.paddle_transaction_id} {self.amount} {self.currency}"
