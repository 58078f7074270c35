"""Input and output shapes of the portal's API (public page, manage link, client accounts)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from trainerhub.clients.validation import clean_phone
from trainerhub.scheduling import pricing
from trainerhub.scheduling.models import Booking, Service
from trainerhub.scheduling.money_reads import BookingMoneyFields, BookingMoneyList
from trainerhub.scheduling.serializers import (
    AwareDateTimeField,
    PriceSerializer,
    PurchaseFieldsSerializer,
)


@extend_schema_field(OpenApiTypes.DATETIME)
class UtcDateTimeField(serializers.Field):
    """Output only: ISO 8601 in UTC ("Z")."""

    def to_representation(self, value: datetime) -> str:
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


class PublicAddonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    price = serializers.DecimalField(max_digits=10, decimal_places=2)
    extra_minutes = serializers.IntegerField()


class PublicServiceSerializer(serializers.ModelSerializer):
    """A bookable service; `addons` come from the context (loaded in one query)."""

    addons = serializers.SerializerMethodField()

    class Meta:
        model = Service
        fields = [
            "id",
            "name",
            "description",
            "duration_minutes",
            "price",
            "currency",
            "price_mode",
            "deposit_kind",
            "deposit_value",
            "allow_pay_at_session",
            "addons",
            "location",
            "is_online",
            "capacity",
            "requires_confirmation",
        ]

    @extend_schema_field(PublicAddonSerializer(many=True))
    def get_addons(self, obj: Service) -> list[dict[str, Any]]:
        addons = self.context.get("addons", {}).get(obj.pk, [])
        return [PublicAddonSerializer(a).data for a in addons]


class SlotsQuerySerializer(serializers.Serializer):
    service = serializers.IntegerField(min_value=1)
    to = serializers.DateField(required=False)
    tz = serializers.CharField(required=False, max_length=64)
    addons = serializers.CharField(required=False, allow_blank=True, max_length=400)

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        # `from` is a Python keyword.
        fields["from"] = serializers.DateField(required=False)
        return fields


class PublicBookingCreateSerializer(PurchaseFieldsSerializer):
    service = serializers.IntegerField(min_value=1)
    start = AwareDateTimeField()
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    email = serializers.EmailField(max_length=254)
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    # DRF moves declared fields off the class: this shadows no Serializer.fields at runtime.
    fields = serializers.DictField(required=False, default=dict)  # type: ignore[assignment]
    tz = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        default="",
        help_text="IANA zone the client sees times in; their messages use it.",
    )

    def validate_tz(self, value: str) -> str:
        from trainerhub.core.timezones import is_valid_timezone

        if value and not is_valid_timezone(value):
            raise serializers.ValidationError("Unknown timezone; use an IANA name.")
        return value

    def validate_phone(self, value: str) -> str:
        from django.core.exceptions import ValidationError

        try:
            return clean_phone(value)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc

    def validate_fields(self, value: dict[str, Any]) -> dict[str, Any]:
        if len(value) > 50:
            raise serializers.ValidationError("Too many fields.")
        return value


class ReasonSerializer(serializers.Serializer):
    # Only carried here: what a reason must be is the cancel service's rule, in its words.
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class StartSerializer(serializers.Serializer):
    start = AwareDateTimeField()


class ClientBookingSerializer(BookingMoneyFields, serializers.ModelSerializer):
    """A booking as its client sees it (no trainer notes, no other attendees)."""

    service = serializers.SerializerMethodField()
    trainer = serializers.SerializerMethodField()
    start = UtcDateTimeField()
    end = UtcDateTimeField()
    # Plain strings: the trainer API names these enums already.
    status = serializers.CharField()
    cancelled_by = serializers.CharField()
    price = serializers.SerializerMethodField()
    meeting_url = serializers.SerializerMethodField()

    class Meta:
        model = Booking
        fields = [
            "id",
            "service",
            "trainer",
            "start",
            "end",
            "status",
            "location",
            "meeting_url",
            "price",
            "currency",
            "cancellation_reason",
            "cancelled_by",
            "late_cancellation",
            "payment_status",
            "amount_due",
        ]
        list_serializer_class = BookingMoneyList

    @extend_schema_field(PriceSerializer)
    def get_price(self, obj: Booking) -> dict[str, Any]:
        return pricing.price_answer(obj)

    @extend_schema_field(OpenApiTypes.STR)
    def get_meeting_url(self, obj: Booking) -> str:
        # Only the booked client sees it, and only while the booking stands.
        return obj.meeting_url if obj.is_active else ""

    def get_service(self, obj: Booking) -> dict[str, Any]:
        s = obj.service
        return {
            "id": s.pk,
            "name": s.name,
            "duration_minutes": s.duration_minutes,
            "is_online": s.is_online,
            # Only the booked client sees it, and only while the booking stands.
            "video_url": obj.meeting_url if obj.is_active else "",
        }

    def get_trainer(self, obj: Booking) -> dict[str, Any]:
        return {
            "name": obj.trainer.display_name,
            "slug": obj.trainer.slug,
            "timezone": obj.trainer.timezone,
        }


class ManagedBookingSerializer(ClientBookingSerializer):
    """The booking with its private link (answered only to whoever holds the token)."""

    manage_token = serializers.CharField()
    manage_url = serializers.SerializerMethodField()
    cancellation_window_hours = serializers.SerializerMethodField()

    class Meta(ClientBookingSerializer.Meta):
        fields = [
            *ClientBookingSerializer.Meta.fields,
            "manage_token",
            "manage_url",
            "cancellation_window_hours",
        ]

    def get_manage_url(self, obj: Booking) -> str:
        return settings.SITE_URL + reverse("portal:manage", args=[obj.manage_token])

    def get_cancellation_window_hours(self, obj: Booking) -> int:
        from trainerhub.portal.selectors import portal_settings_for

        return portal_settings_for(obj.trainer).cancellation_window_hours


class ClientLoginSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=200)


class ClientTokenPairSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


class ClientMeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    name = serializers.CharField()
    timezone = serializers.CharField()
    trainers = serializers.ListField(child=serializers.DictField())


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()
