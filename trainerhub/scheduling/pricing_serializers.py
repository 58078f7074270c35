"""API shapes of a service's add-ons and the trainer's discount codes (a booking's price and
the money fields of a booking request are in scheduling/serializers.py)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from trainerhub.scheduling.models import DiscountCode, Service, ServiceAddon
from trainerhub.scheduling.serializers import OwnedPKField


class ServiceAddonSerializer(serializers.ModelSerializer):
    service: serializers.Field = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = ServiceAddon
        fields = ["id", "service", "name", "price", "extra_minutes", "is_active"]
        read_only_fields = ["id", "service"]


class ServiceIdsField(serializers.ListField):
    """A list of the trainer's service ids; shows a row's services as sorted ids."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(child=OwnedPKField(Service, "service"), max_length=200, **kwargs)

    def to_representation(self, data: Any) -> list[int]:
        rows = data.all() if hasattr(data, "all") else data
        return sorted(row.pk for row in rows)


class DiscountCodeSerializer(serializers.ModelSerializer):
    services = ServiceIdsField(required=False)

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
