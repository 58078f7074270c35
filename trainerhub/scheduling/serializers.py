"""Small input and output serializers of the scheduling API (views call the services)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, cast

from django.db.models import Model, QuerySet
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from trainerhub.core.access import MAX_PK
from trainerhub.core.tenancy import TrainerRef, id_of, trainer_id_of
from trainerhub.core.validation import OUT_OF_RANGE, instant_in_range
from trainerhub.scheduling import pricing
from trainerhub.scheduling.client_reads import client_reads
from trainerhub.scheduling.models import (
    Booking,
    BookingEvent,
    DateOverride,
    Service,
    TimeOff,
    WeeklyInterval,
)
from trainerhub.scheduling.money_reads import BookingMoneyFields, BookingMoneyList
from trainerhub.scheduling.purchase import Purchase

HHMM = ["%H:%M", "%H:%M:%S"]


@extend_schema_field(OpenApiTypes.DATETIME)
class AwareDateTimeField(serializers.Field):
    """ISO 8601 with a UTC offset; a naive time is refused rather than guessed. Output in UTC."""

    default_error_messages = {
        "invalid": "Enter an ISO 8601 date and time, e.g. 2025-03-01T09:00:00+00:00.",
        "naive": "Include a UTC offset in the time (e.g. +01:00 or Z).",
        "out_of_range": OUT_OF_RANGE,
    }

    def to_internal_value(self, data: Any) -> datetime:
        if not isinstance(data, str) or len(data) > 40:
            self.fail("invalid")
        try:
            value = parse_datetime(data.strip())
        except ValueError:
            value = None
        if value is None:
            self.fail("invalid")
        if value.tzinfo is None:
            self.fail("naive")
        if not instant_in_range(value):
            self.fail("out_of_range")
        return value

    def to_representation(self, value: datetime) -> str:
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


@extend_schema_field(OpenApiTypes.INT)
class OwnedPKField(serializers.Field):
    """An id of one of the signed-in trainer's rows; any other id is "Unknown ..."."""

    default_error_messages = {"invalid": "A valid integer id is required."}

    def __init__(
        self,
        rows: type[Model] | Callable[[TrainerRef], QuerySet[Any]],
        label_word: str,
        **kwargs: Any,
    ) -> None:
        """rows: the model, or a function from the trainer to the rows they may name."""
        self.rows = rows
        self.label_word = label_word
        super().__init__(**kwargs)

    def _rows(self, trainer: TrainerRef) -> QuerySet[Any]:
        if isinstance(self.rows, type) and issubclass(self.rows, Model):
            return self.rows._default_manager.filter(trainer_id=trainer_id_of(trainer))
        rows = cast("Callable[[TrainerRef], QuerySet[Any]]", self.rows)
        return rows(trainer)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("invalid")
        try:
            pk = int(data)
        except ValueError:
            self.fail("invalid")
        trainer = self.context["request"].user
        obj = None
        if 0 < pk <= MAX_PK:
            obj = self._rows(trainer).filter(pk=pk).first()
        if obj is None:
            raise serializers.ValidationError(f"Unknown {self.label_word}.")
        return obj

    def to_representation(self, value: Any) -> int:
        return id_of(value)


def _trainers_clients(trainer: TrainerRef) -> QuerySet[Any]:
    return client_reads().clients_for_trainer(trainer=trainer)


# --- Services ----------------------------------------------------------------------------------


class ServiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Service
        fields = ["id", *Service.EDITABLE_FIELDS, "is_active"]
        read_only_fields = ["id"]


# --- Availability ------------------------------------------------------------------------------


class WeeklyIntervalSerializer(serializers.ModelSerializer):
    start = serializers.TimeField(format="%H:%M", input_formats=HHMM)
    end = serializers.TimeField(format="%H:%M", input_formats=HHMM)
    service = OwnedPKField(Service, "service", allow_null=True, required=False)

    class Meta:
        model = WeeklyInterval
        fields = ["id", "weekday", "start", "end", "service"]
        read_only_fields = ["id"]

    def validate_weekday(self, value: int) -> int:
        if not 0 <= value <= 6:
            raise serializers.ValidationError("Use 0 (Monday) to 6 (Sunday).")
        return value


class IntervalSerializer(serializers.Serializer):
    start = serializers.TimeField(format="%H:%M", input_formats=HHMM)
    end = serializers.TimeField(format="%H:%M", input_formats=HHMM)


class DateOverrideSerializer(serializers.ModelSerializer):
    intervals = IntervalSerializer(many=True, required=False)
    closed = serializers.BooleanField(required=False, default=False)

    class Meta:
        model = DateOverride
        fields = ["id", "date", "closed", "intervals", "note"]
        read_only_fields = ["id"]
        # Uniqueness per date is the service's to check (it answers with a field message).
        validators: list = []

    def validate_intervals(self, value: list[dict[str, Any]]) -> list[dict[str, str]]:
        if len(value) > 12:
            raise serializers.ValidationError("At most 12 intervals.")
        return [
            {"start": i["start"].strftime("%H:%M"), "end": i["end"].strftime("%H:%M")}
            for i in value
        ]


class TimeOffSerializer(serializers.ModelSerializer):
    start = AwareDateTimeField()
    end = AwareDateTimeField()

    class Meta:
        model = TimeOff
        fields = ["id", "start", "end", "reason"]
        read_only_fields = ["id"]


class OverlappedBookingSerializer(serializers.Serializer):
    """A booking that a time off falls on: what the trainer needs to decide about it."""

    id = serializers.IntegerField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    status = serializers.CharField()
    client = serializers.CharField(source="client.full_name")
    service = serializers.CharField(source="service.name")


class TimeOffWriteSerializer(TimeOffSerializer):
    # Cancel the bookings the time off falls on, in the same transaction (create only).
    cancel_overlapping = serializers.BooleanField(write_only=True, default=False)

    class Meta(TimeOffSerializer.Meta):
        fields = [*TimeOffSerializer.Meta.fields, "cancel_overlapping"]


class TimeOffAnswerSerializer(TimeOffSerializer):
    """A time off as written, with the active bookings that still fall inside it (empty
    after `cancel_overlapping`), so an API client can warn as the settings page does."""

    overlapping_bookings = OverlappedBookingSerializer(many=True, read_only=True)

    class Meta(TimeOffSerializer.Meta):
        fields = [*TimeOffSerializer.Meta.fields, "overlapping_bookings"]


# --- Slots -------------------------------------------------------------------------------------


class SlotsQuerySerializer(serializers.Serializer):
    # Query parameters: the API's query rule refuses the unknown ones (page and page_size
    # of a paginated list are taken), so this serializer does not.
    strict_input = False

    service = OwnedPKField(Service, "service")
    # `from` is a Python keyword: declared in __init__ below.
    to = serializers.DateField(required=False)
    tz = serializers.CharField(required=False, max_length=64)
    addons = serializers.CharField(required=False, allow_blank=True, max_length=400)

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["from"] = serializers.DateField(required=False)
        return fields


class SlotSerializer(serializers.Serializer):
    start = serializers.CharField()
    end = serializers.CharField()
    available = serializers.IntegerField()


class SlotsResponseSerializer(serializers.Serializer):
    service = serializers.IntegerField()
    timezone = serializers.CharField()
    slots = SlotSerializer(many=True)


# --- Prices ------------------------------------------------------------------------------------


class PriceLineSerializer(serializers.Serializer):
    name = serializers.CharField()
    price = serializers.CharField()


class DiscountLineSerializer(serializers.Serializer):
    code = serializers.CharField()
    amount = serializers.CharField()


class PriceSerializer(serializers.Serializer):
    """A booking's price snapshot (`pricing.price_answer`): money as decimal strings with two
    places, never recomputed from the service."""

    base = serializers.CharField()
    addons = PriceLineSerializer(many=True)
    discount = DiscountLineSerializer(allow_null=True)
    total = serializers.CharField()
    currency = serializers.CharField()
    deposit_due = serializers.CharField()
    pay_at_session = serializers.BooleanField()


class PurchaseFieldsSerializer(serializers.Serializer):
    """What a booking request buys with: the same fields on every booking surface."""

    addons = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_PK),
        required=False,
        default=list,
        max_length=pricing.MAX_ADDONS,
        help_text="Ids of the service's active add-ons.",
    )
    discount_code = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=40
    )
    pay_at_session = serializers.BooleanField(required=False, default=False)


def purchase_from(data: dict[str, Any], *, client_package: int | None = None) -> Purchase:
    """The Purchase a validated booking request carries into booking_create."""
    return Purchase(
        addons=tuple(data.get("addons") or ()),
        discount_code=data.get("discount_code") or "",
        client_package=client_package,
        pay_at_session=bool(data.get("pay_at_session")),
    )


# --- Bookings ----------------------------------------------------------------------------------


class BookingCreateSerializer(PurchaseFieldsSerializer):
    client = OwnedPKField(_trainers_clients, "client")
    service = OwnedPKField(Service, "service")
    start = AwareDateTimeField()
    notes = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")
    override_rules = serializers.BooleanField(required=False, default=False)
    # One of the client's packages whose credit pays (the packages app checks and reserves).
    client_package = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_PK, default=None
    )


class BookingUpdateSerializer(serializers.Serializer):
    notes = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    location = serializers.CharField(required=False, allow_blank=True, max_length=255)


class BookingCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")
    # For an occurrence of a recurring series: also cancel every later occurrence.
    following = serializers.BooleanField(required=False, default=False)


class BookingDeclineSerializer(serializers.Serializer):
    message = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")


class BookingRescheduleSerializer(serializers.Serializer):
    start = AwareDateTimeField()
    override_rules = serializers.BooleanField(required=False, default=False)


class BookingFilterSerializer(serializers.Serializer):
    # Query parameters: the API's query rule refuses the unknown ones (page and page_size
    # of a paginated list are taken), so this serializer does not.
    strict_input = False

    to = serializers.CharField(required=False, max_length=40)
    status = serializers.CharField(required=False, max_length=100)
    client = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PK)
    service = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PK)

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["from"] = serializers.CharField(required=False, max_length=40)
        return fields

    def validate_status(self, value: str) -> list[str]:
        statuses = [s.strip() for s in value.split(",") if s.strip()]
        unknown = [s for s in statuses if s not in Booking.Status.values]
        if unknown:
            raise serializers.ValidationError(
                f"Unknown status {unknown[0]!r}; use {', '.join(Booking.Status.values)}."
            )
        return statuses


class RecurringCreateSerializer(PurchaseFieldsSerializer):
    client = OwnedPKField(_trainers_clients, "client")
    service = OwnedPKField(Service, "service")
    start = AwareDateTimeField()
    every_weeks = serializers.IntegerField(min_value=1, max_value=12, default=1)
    count = serializers.IntegerField(min_value=1, max_value=52, required=False, allow_null=True)
    until = serializers.DateField(required=False, allow_null=True)
    all_or_nothing = serializers.BooleanField(default=True)
    client_package = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_PK, default=None
    )
    notes = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")
    override_rules = serializers.BooleanField(required=False, default=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if (attrs.get("count") is None) == (attrs.get("until") is None):
            raise serializers.ValidationError(
                {"count": ["Give either count (occurrences) or until (an end date)."]}
            )
        return attrs


class NamedRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ServiceRefSerializer(NamedRefSerializer):
    color = serializers.CharField()


class BookingSerializer(BookingMoneyFields, serializers.ModelSerializer):
    client = serializers.SerializerMethodField()
    service = serializers.SerializerMethodField()
    start = AwareDateTimeField()
    end = AwareDateTimeField()
    cancelled_at = AwareDateTimeField(allow_null=True)
    # Plain strings: "trainer" | "client" | "api" ("" when not cancelled).
    created_by = serializers.CharField()
    cancelled_by = serializers.CharField()
    attendees = serializers.SerializerMethodField()
    price = serializers.SerializerMethodField()

    class Meta:
        model = Booking
        fields = [
            "id",
            "client",
            "service",
            "start",
            "end",
            "status",
            "notes",
            "location",
            "meeting_provider",
            "meeting_url",
            "price",
            "currency",
            "created_by",
            "cancellation_reason",
            "cancelled_by",
            "cancelled_at",
            "late_cancellation",
            "series",
            "session",
            "attendees",
            "payment_status",
            "amount_due",
        ]
        read_only_fields = fields
        list_serializer_class = BookingMoneyList

    @extend_schema_field(NamedRefSerializer)
    def get_client(self, obj: Booking) -> dict[str, Any]:
        return {"id": obj.client_id, "name": obj.client.full_name}

    @extend_schema_field(ServiceRefSerializer)
    def get_service(self, obj: Booking) -> dict[str, Any]:
        return {"id": obj.service_id, "name": obj.service.name, "color": obj.service.color}

    @extend_schema_field(PriceSerializer)
    def get_price(self, obj: Booking) -> dict[str, Any]:
        return pricing.price_answer(obj)

    @extend_schema_field(OpenApiTypes.INT)
    def get_attendees(self, obj: Booking) -> int:
        count = getattr(obj, "attendees", None)
        if count is None:
            from trainerhub.scheduling.selectors import SEAT_STATUSES

            count = obj.session.bookings.filter(status__in=SEAT_STATUSES).count()
        return count


class RecurringResultSerializer(serializers.Serializer):
    series = serializers.IntegerField(allow_null=True)
    bookings = BookingSerializer(many=True)
    refused = serializers.ListField(child=serializers.DictField())


class BookingEventSerializer(serializers.ModelSerializer):
    at = AwareDateTimeField()
    actor_user = serializers.SerializerMethodField()

    class Meta:
        model = BookingEvent
        fields = ["id", "kind", "actor", "actor_user", "at", "data"]
        read_only_fields = fields

    @extend_schema_field(NamedRefSerializer(allow_null=True))
    def get_actor_user(self, obj: BookingEvent) -> dict[str, Any] | None:
        user = obj.actor_user
        return {"id": user.pk, "name": user.name} if user else None
