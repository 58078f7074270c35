"""API shapes of packages, client packages and their ledger. Money is a string with two
places; ids name the trainer's own rows (another trainer's is "Unknown ...")."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from trainerhub.clients.models import Client
from trainerhub.core.currencies import CURRENCY_CHOICES
from trainerhub.packages.models import MAX_SESSIONS, MAX_VALID_DAYS, ClientPackage, LedgerEntry
from trainerhub.packages.services import PAYMENT_METHODS
from trainerhub.scheduling.serializers import AwareDateTimeField, OwnedPKField

MONEY: dict[str, Any] = {"max_digits": 10, "decimal_places": 2, "coerce_to_string": True}


class PackageSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=120)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    sessions_count = serializers.IntegerField(min_value=1, max_value=MAX_SESSIONS)
    price = serializers.DecimalField(min_value=0, **MONEY)
    currency = serializers.ChoiceField(choices=CURRENCY_CHOICES, required=False)
    valid_days = serializers.IntegerField(
        min_value=1, max_value=MAX_VALID_DAYS, allow_null=True, required=False
    )
    services = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, max_length=200
    )
    is_active = serializers.BooleanField(required=False)
    created_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        names = [str(name) for name in list(self.fields) if name != "services"]
        data = super().to_representation(
            {**{name: getattr(instance, name) for name in names}, "services": []}
        )
        data["services"] = sorted(s.pk for s in instance.services.all())
        return data


class PaymentInSerializer(serializers.Serializer):
    amount = serializers.DecimalField(min_value=0, **MONEY)
    method = serializers.ChoiceField(choices=PAYMENT_METHODS)
    paid_at = AwareDateTimeField(required=False)

    def validate_amount(self, value: Any) -> Any:
        if value <= 0:
            raise serializers.ValidationError("Give an amount above 0.")
        return value


class SellSerializer(serializers.Serializer):
    client = OwnedPKField(Client, "client")
    payment = PaymentInSerializer(required=False, allow_null=True)


class ClientPackageSerializer(serializers.ModelSerializer):
    client = serializers.IntegerField(source="client_id", read_only=True)
    package = serializers.IntegerField(source="package_id", read_only=True)
    sessions_remaining = serializers.IntegerField(read_only=True)
    status = serializers.CharField(source="state", read_only=True)
    price = serializers.DecimalField(read_only=True, **MONEY)
    purchased_at = AwareDateTimeField(read_only=True)
    services = serializers.SerializerMethodField()

    class Meta:
        model = ClientPackage
        fields = [
            "id",
            "client",
            "package",
            "name",
            "sessions_total",
            "sessions_remaining",
            "purchased_at",
            "expires_on",
            "status",
            "price",
            "currency",
            "services",
        ]
        read_only_fields = fields

    def get_services(self, obj: ClientPackage) -> list[int]:
        return sorted(s.pk for s in obj.services.all())


class LedgerEntrySerializer(serializers.ModelSerializer):
    created_at = AwareDateTimeField(read_only=True)

    class Meta:
        model = LedgerEntry
        fields = ["id", "kind", "sessions", "booking", "reason", "created_at"]
        read_only_fields = fields


class AdjustSerializer(serializers.Serializer):
    sessions = serializers.IntegerField(min_value=-MAX_SESSIONS, max_value=MAX_SESSIONS)
    reason = serializers.CharField(max_length=500)


STATUS_CHOICES = ClientPackage.Status.values
