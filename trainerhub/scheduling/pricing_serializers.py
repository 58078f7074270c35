"""API shapes of a service's add-ons and the trainer's discount codes (a booking's price and
the money fields of a booking request are in scheduling/serializers.py)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from trainerhub.scheduling.models import DiscountCode, Service, ServiceAddon
from trainerhub.scheduling.serializers import OwnedPKField


class ServiceAddonSerializer(serializers.ModelSerializer):
    service: serializers.Field = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = ServiceAddon
        fields = ["id", "service", "name", "price", "extra_minutes", "is_active"]
        read_only_fields = ["id", "service"]


class DiscountCodeSerializer(serializers.ModelSerializer):
    services = serializers.ListField(
        child=OwnedPKField(Service, "service"), required=False, max_length=200
    )

    class Meta:
        model = DiscountCode
        fields = [
            "id",
            "code",
            "percent_off",
            "amount_off",
            "valid_from",
            "valid_until",
            "services",
            "max_uses",
            "max_uses_per_client",
            "uses",
            "is_active",
        ]
        read_only_fields = ["id", "uses"]
        # Uniqueness (case-insensitive) and "percent or amount" are the service's rules.
        validators: list[Any] = []

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def to_representation(self, instance: DiscountCode) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        data["services"] = sorted(s.pk for s in instance.services.all())
        return data
