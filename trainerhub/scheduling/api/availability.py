"""API of the trainer's services, weekly hours, date overrides and time off."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from trainerhub.accounts.requests import TrainerRequest
from trainerhub.scheduling import selectors, services
from trainerhub.scheduling.api.common import (
    CrudDetailView,
    CrudListView,
    crud_schema,
    valid,
)
from trainerhub.scheduling.models import DateOverride, Service, TimeOff, WeeklyInterval
from trainerhub.scheduling.serializers import (
    DateOverrideSerializer,
    OverlappedBookingSerializer,
    ServiceSerializer,
    TimeOffAnswerSerializer,
    TimeOffSerializer,
    TimeOffWriteSerializer,
    WeeklyIntervalSerializer,
)

# --- Services ----------------------------------------------------------------------------------


@crud_schema("services", ServiceSerializer)
class ServiceListApi(CrudListView):
    model = Service
    serializer_class = ServiceSerializer

    def create(self, request: TrainerRequest, data: dict[str, Any]) -> Service:
        return services.service_create(trainer=request.user, **data)


@crud_schema("services", ServiceSerializer)
class ServiceDetailApi(CrudDetailView):
    """DELETE deactivates the service: its bookings and history stay."""

    model = Service
    serializer_class = ServiceSerializer

    def update(self, obj: Service, data: dict[str, Any]) -> Service:
        return services.service_update(service=obj, **data)

    def delete_obj(self, obj: Service) -> None:
        services.service_deactivate(service=obj)


# --- Availability ------------------------------------------------------------------------------


@crud_schema("availability", WeeklyIntervalSerializer)
class WeeklyListApi(CrudListView):
    model = WeeklyInterval
    serializer_class = WeeklyIntervalSerializer

    def create(self, request: TrainerRequest, data: dict[str, Any]) -> WeeklyInterval:
        return services.weekly_interval_create(trainer=request.user, **data)


@crud_schema("availability", WeeklyIntervalSerializer)
class WeeklyDetailApi(CrudDetailView):
    model = WeeklyInterval
    serializer_class = WeeklyIntervalSerializer

    def update(self, obj: WeeklyInterval, data: dict[str, Any]) -> WeeklyInterval:
        return services.weekly_interval_update(interval=obj, **data)

    def delete_obj(self, obj: WeeklyInterval) -> None:
        services.weekly_interval_delete(interval=obj)


@crud_schema("availability", DateOverrideSerializer)
class OverrideListApi(CrudListView):
    model = DateOverride
    serializer_class = DateOverrideSerializer

    def create(self, request: TrainerRequest, data: dict[str, Any]) -> DateOverride:
        return services.date_override_create(
            trainer=request.user,
            date=data["date"],
            closed=data.get("closed", False),
            intervals=data.get("intervals", []),
            note=data.get("note", ""),
        )


@crud_schema("availability", DateOverrideSerializer)
class OverrideDetailApi(CrudDetailView):
    model = DateOverride
    serializer_class = DateOverrideSerializer

    def update(self, obj: DateOverride, data: dict[str, Any]) -> DateOverride:
        return services.date_override_update(override=obj, **data)

    def delete_obj(self, obj: DateOverride) -> None:
        services.date_override_delete(override=obj)


def _time_off_answer(time_off: TimeOff) -> dict[str, Any]:
    overlaps = services.time_off_overlaps(
        trainer=time_off.trainer_id, start=time_off.start, end=time_off.end
    )
    return {
        **TimeOffSerializer(time_off).data,
        "overlapping_bookings": OverlappedBookingSerializer(overlaps, many=True).data,
    }


@crud_schema("availability", TimeOffSerializer)
class TimeOffListApi(CrudListView):
    model = TimeOff
    serializer_class = TimeOffSerializer

    @extend_schema(request=TimeOffWriteSerializer, responses={201: TimeOffAnswerSerializer})
    def post(self, request: TrainerRequest) -> Response:
        data = valid(TimeOffWriteSerializer, request, request.data)
        time_off = services.time_off_create(trainer=request.user, **data)
        return Response(_time_off_answer(time_off), status=status.HTTP_201_CREATED)


@crud_schema("availability", TimeOffSerializer)
class TimeOffDetailApi(CrudDetailView):
    model = TimeOff
    serializer_class = TimeOffSerializer

    def update(self, obj: TimeOff, data: dict[str, Any]) -> TimeOff:
        return services.time_off_update(time_off=obj, **data)

    @extend_schema(request=TimeOffSerializer, responses={200: TimeOffAnswerSerializer})
    def patch(self, request: TrainerRequest, pk: int) -> Response:
        time_off = selectors.get_owned(TimeOff, trainer=request.user, pk=pk)
        data = valid(TimeOffSerializer, request, request.data, partial=True)
        return Response(_time_off_answer(self.update(time_off, data)))

    def delete_obj(self, obj: TimeOff) -> None:
        services.time_off_delete(time_off=obj)
