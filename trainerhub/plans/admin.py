from __future__ import annotations

from django.contrib import admin

from trainerhub.plans.models import PaddleEvent, Plan, Subscription, SubscriptionPayment


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "price",
        "currency",
        "paddle_price_id",
        "is_default",
        "is_public",
        "max_active_clients",
        "max_services",
        "max_bookings_per_month",
        "max_sms_per_month",
    )
    list_editable = ("is_public",)
    fieldsets = (
        (None, {"fields": ("name", "description", "sort_order", "is_public", "is_default")}),
        ("Price", {"fields": ("price", "currency", "paddle_price_id")}),
        (
            "Limits (empty: no limit)",
            {
                "fields": (
                    "max_active_clients",
                    "max_services",
                    "max_bookings_per_month",
                    "max_sms_per_month",
                )
            },
        ),
        ("Features", {"fields": ("online_payments", "sms", "custom_branding")}),
    )


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """Read-only: a subscription's state comes from Paddle's webhooks alone."""

    list_display = ("trainer", "plan", "status", "current_period_end", "grace_until")
    list_filter = ("status", "plan")
    search_fields = ("trainer__email", "paddle_subscription_id", "paddle_customer_id")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(SubscriptionPayment)
class SubscriptionPaymentAdmin(admin.ModelAdmin):
    list_display = ("trainer", "amount", "currency", "billed_at", "invoice_number")
    search_fields = ("trainer__email", "paddle_transaction_id", "invoice_number")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(PaddleEvent)
class PaddleEventAdmin(admin.ModelAdmin):
    list_display = ("event_type", "event_id", "occurred_at", "trainer", "outcome")
    list_filter = ("event_type",)
    search_fields = ("event_id",)

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
