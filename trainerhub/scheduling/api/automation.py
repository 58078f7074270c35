"""API of the trainer's scheduling settings: request expiry, automatic completion and the
day limit across all services."""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from trainerhub.accounts.requests import TrainerRequest
from trainerhub.scheduling import services
from trainerhub.scheduling.api.common import valid
from trainerhub.scheduling.services.housekeeping import settings_for


class SchedulingSettingsSerializer(serializers.Serializer):
    request_expiry_hours = serializers.IntegerField(
        min_value=1,
        max_value=720,
        allow_null=True,
        help_text="Pending requests not confirmed within this many hours are declined as "
        "expired (the client is told). null: off.",
    )
    auto_complete_hours = serializers.IntegerField(
        min_value=0,
        max_value=720,
        allow_null=True,
        help_text="Confirmed sessions are marked completed this many hours after they end, "
        "unless marked otherwise first. null: off.",
    )
    max_bookings_per_day = serializers.IntegerField(
        min_value=1,
        max_value=500,
        allow_null=True,
        required=False,
        help_text="At most this many bookings on one local date across all services (each "
        "seat of a group session counts); full days are not offered. null: no limit.",
    )
    max_hours_per_day = serializers.DecimalField(
        max_digits=4,
        decimal_places=2,
        min_value=Decimal("0.25"),
        max_value=Decimal("24"),
        allow_null=True,
        required=False,
        help_text="At most this many booked hours on one local date across all services "
        "(sessions' own length, a group session counted once). null: no limit.",
    )


class SchedulingSettingsApi(APIView):
    @extend_schema(tags=["availability"], responses=SchedulingSettingsSerializer)
    def get(self, request: TrainerRequest) -> Response:
        return Response(SchedulingSettingsSerializer(settings_for(trainer=request.user)).data)

    @extend_schema(
        tags=["availability"],
        request=SchedulingSettingsSerializer,
        responses=SchedulingSettingsSerializer,
    )
    def patch(self, request: TrainerRequest) -> Response:
        data = valid(SchedulingSettingsSerializer, request, request.data, partial=True)
        updated = services.scheduling_settings_update(trainer=request.user, **data)
        return Response(SchedulingSettingsSerializer(updated).data)
