"""The billing API's input and output shapes. Money is a decimal string with two places."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from trainerhub.billing import selectors
from trainerhub.billing.models import MAX_AMOUNT, Invoice, InvoiceLine, Payment
from trainerhub.billing.money import tax_summary
from trainerhub.billing.revenue import GROUPS
from trainerhub.core.access import MAX_PK
from trainerhub.packages.models import ClientPackage
from trainerhub.scheduling.models import Booking
from trainerhub.scheduling.serializers import AwareDateTimeField, OwnedPKField, _trainers_clients


def Money(**kw: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=2, **kw)


class MoneyPartyRef(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


# --- Payments -------------------------------------------------------------------------------


class PaymentSerializer(serializers.ModelSerializer):
    client = serializers.SerializerMethodField()
    amount = Money()
    paid_at = AwareDateTimeField()
    created_at = AwareDateTimeField()
    refundable = serializers.SerializerMethodField()
    is_refund = serializers.BooleanField()

    class Meta:
        model = Payment
        fields = [
            "id",
            "client",
            "booking",
            "client_package",
            "invoice",
            "refund_of",
            "amount",
            "currency",
            "method",
            "paid_at",
            "note",
            "recorded_by",
            "refundable",
            "is_refund",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(MoneyPartyRef)
    def get_client(self, obj: Payment) -> dict[str, Any]:
        return {"id": obj.client_id, "name": obj.client.full_name}

    @extend_schema_field(OpenApiTypes.DECIMAL)
    def get_refundable(self, obj: Payment) -> str:
        return f"{selectors.refundable(obj):.2f}"


class PaymentCreateSerializer(serializers.Serializer):
    client = OwnedPKField(_trainers_clients, "client")
    booking = OwnedPKField(Booking, "session", required=False, allow_null=True)
    client_package = OwnedPKField(ClientPackage, "client package", required=False, allow_null=True)
    invoice = OwnedPKField(Invoice, "invoice", required=False, allow_null=True)
    # Checked by the service (one rule for pages and API): > 0, two places, not absurd.
    amount = serializers.CharField(max_length=32)
    currency = serializers.CharField(max_length=3, required=False, allow_blank=True)
    method = serializers.ChoiceField(choices=Payment.Method.choices)
    paid_at = AwareDateTimeField(required=False, allow_null=True)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class PaymentFilterSerializer(serializers.Serializer):
    # Query parameters: the API's query rule refuses the unknown ones (page and page_size
    # of a paginated list are taken), so this serializer does not.
    strict_input = False

    to = serializers.DateField(required=False)
    client = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PK)
    method = serializers.ChoiceField(choices=Payment.Method.choices, required=False)
    booking = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PK)
    invoice = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PK)
    status = serializers.ChoiceField(choices=list(selectors.PAYMENT_STATUSES), required=False)

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["from"] = serializers.DateField(required=False)
        return fields


class RefundSerializer(serializers.Serializer):
    amount = serializers.CharField(max_length=32)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


# --- Invoices -------------------------------------------------------------------------------


class LineInSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=300)
    quantity = serializers.DecimalField(
        max_digits=8,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal("10000"),
        error_messages={"min_value": "Enter a quantity greater than 0."},
    )
    unit_price = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal("0"), max_value=MAX_AMOUNT
    )
    tax_rate = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        required=False,
        allow_null=True,
        error_messages={"max_value": "A tax rate is between 0 and 100 percent."},
    )


class InvoiceCreateSerializer(serializers.Serializer):
    client = OwnedPKField(_trainers_clients, "client")
    lines = LineInSerializer(many=True, required=False)
    bookings = serializers.ListField(
        child=OwnedPKField(Booking, "session"), required=False, max_length=100
    )
    client_package = OwnedPKField(ClientPackage, "client package", required=False, allow_null=True)
    currency = serializers.CharField(max_length=3, required=False, allow_blank=True)
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class InvoiceUpdateSerializer(serializers.Serializer):
    client = OwnedPKField(_trainers_clients, "client", required=False)
    lines = LineInSerializer(many=True, required=False)
    currency = serializers.CharField(max_length=3, required=False)
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class LineOutSerializer(serializers.ModelSerializer):
    quantity = serializers.DecimalField(max_digits=8, decimal_places=2)
    unit_price = Money()
    tax_rate = serializers.DecimalField(max_digits=5, decimal_places=2)
    net = Money()
    tax = Money()
    gross = Money()

    class Meta:
        model = InvoiceLine
        fields = [
            "id",
            "description",
            "quantity",
            "unit_price",
            "tax_rate",
            "net",
            "tax",
            "gross",
            "booking",
            "client_package",
        ]
        read_only_fields = fields


class TaxRowSerializer(serializers.Serializer):
    rate = serializers.DecimalField(max_digits=5, decimal_places=2)
    net = Money()
    tax = Money()


class InvoiceSerializer(serializers.ModelSerializer):
    client = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    payment_status = serializers.SerializerMethodField()
    lines = LineOutSerializer(many=True)
    taxes = serializers.SerializerMethodField()
    subtotal = Money()
    tax_total = Money()
    total = Money()
    paid = serializers.SerializerMethodField()
    outstanding = serializers.SerializerMethodField()
    credit_note = serializers.SerializerMethodField()
    created_at = AwareDateTimeField()

    class Meta:
        model = Invoice
        fields = [
            "id",
            "kind",
            "number",
            "status",
            "payment_status",
            "client",
            "currency",
            "prices_include_tax",
            "lines",
            "subtotal",
            "taxes",
            "tax_total",
            "total",
            "paid",
            "outstanding",
            "issued_on",
            "due_on",
            "credit_note_for",
            "credit_note",
            "notes",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(MoneyPartyRef)
    def get_client(self, obj: Invoice) -> dict[str, Any]:
        return {"id": obj.client_id, "name": obj.client.full_name}

    @extend_schema_field(
        serializers.ChoiceField(choices=["draft", "issued", "paid", "partially_paid", "void"])
    )
    def get_status(self, obj: Invoice) -> str:
        return selectors.invoice_status(obj)

    @extend_schema_field(serializers.ChoiceField(choices=["unpaid", "partial", "paid", "refunded"]))
    def get_payment_status(self, obj: Invoice) -> str:
        return selectors.invoice_payment_status(obj)

    @extend_schema_field(TaxRowSerializer(many=True))
    def get_taxes(self, obj: Invoice) -> list[dict[str, Any]]:
        return [
            {"rate": f"{r.rate:.2f}", "net": f"{r.net:.2f}", "tax": f"{r.tax:.2f}"}
            for r in tax_summary(list(obj.lines.all()))
        ]

    @extend_schema_field(OpenApiTypes.DECIMAL)
    def get_paid(self, obj: Invoice) -> str:
        return f"{selectors.invoice_paid(obj):.2f}"

    @extend_schema_field(OpenApiTypes.DECIMAL)
    def get_outstanding(self, obj: Invoice) -> str:
        return f"{selectors.invoice_outstanding(obj):.2f}"

    @extend_schema_field(OpenApiTypes.INT)
    def get_credit_note(self, obj: Invoice) -> int | None:
        note = getattr(obj, "credit_note", None)
        return note.pk if note is not None else None


class IssuedSerializer(serializers.Serializer):
    number = serializers.CharField()
    issued_on = serializers.DateField()
    due_on = serializers.DateField()


# --- Revenue ----------------------------------------------------------------------------------


class RevenueQuerySerializer(serializers.Serializer):
    # Query parameters: the API's query rule refuses the unknown ones (page and page_size
    # of a paginated list are taken), so this serializer does not.
    strict_input = False

    to = serializers.DateField(required=False)
    group = serializers.ChoiceField(choices=GROUPS, required=False, default="month")
    currency = serializers.CharField(max_length=3, required=False)

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["from"] = serializers.DateField(required=False)
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        first, last = attrs.get("from"), attrs.get("to")
        if first and last and first > last:
            raise serializers.ValidationError({"to": ["Give a date on or after from."]})
        if first and last and (last - first).days > 3660:
            raise serializers.ValidationError({"to": ["At most ten years at once."]})
        return attrs


class RevenueRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    cash = Money()
    earned = Money()


class RevenueSerializer(serializers.Serializer):
    from_ = serializers.DateField(source="first_day")
    to = serializers.DateField(source="last_day")
    group = serializers.CharField()
    currency = serializers.CharField()
    cash = Money()
    earned = Money()
    outstanding = Money()
    rows = RevenueRowSerializer(many=True)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["from"] = data.pop("from_")
        return data
