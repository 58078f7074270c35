"""The scheduling API: services, availability, slots. Bookings live in api_bookings.py.

Views are thin: validate the input with a small serializer, fetch through an access function
(404 for another trainer's id), call a service, serialize the answer.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from trainerhub.accounts.models import User
from trainerhub.accounts.requests import TrainerRequest
from trainerhub.core.errors import InvalidInput
from trainerhub.core.permissions import Pagination
from trainerhub.core.timezones import is_valid_timezone, zone
from trainerhub.scheduling import selectors, services
from trainerhub.scheduling.models import DateOverride, Service, TimeOff, WeeklyInterval
from trainerhub.scheduling.serializers import (
    DateOverrideSerializer,
    ServiceSerializer,
    SlotsQuerySerializer,
    SlotsResponseSerializer,
    TimeOffSerializer,
    WeeklyIntervalSerializer,
)


def paginated(view: APIView, request: Request, queryset: Any, serializer: Any) -> Response:
    paginator = Pagination()  # the API's DEFAULT_PAGINATION_CLASS
    page: list[Any] | None = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(serializer(page, many=True).data)


def valid(serializer_class: Any, request: Request, data: Any, **kwargs: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise InvalidInput({"non_field_errors": ["Send a JSON object."]})
    serializer = serializer_class(data=data, context={"request": request}, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class CrudListView(APIView):
    """List and create one kind of trainer-owned row."""

    model: Any = None
    serializer_class: Any = None

    def queryset(self, request: TrainerRequest) -> Any:
        return selectors.owned_rows(self.model, trainer=request.user)

    def create(self, request: TrainerRequest, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def get(self, request: TrainerRequest) -> Response:
        return paginated(self, request, self.queryset(request), self.serializer_class)

    def post(self, request: TrainerRequest) -> Response:
        obj = self.create(request, valid(self.serializer_class, request, request.data))
        return Response(self.serializer_class(obj).data, status=status.HTTP_201_CREATED)


class CrudDetailView(APIView):
    """Get, patch and delete one trainer-owned row (404 for anyone else's)."""

    model: Any = None
    serializer_class: Any = None

    def update(self, obj: Any, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def delete_obj(self, obj: Any) -> None:
        raise NotImplementedError

    def get(self, request: TrainerRequest, pk: int) -> Response:
        obj = selectors.get_owned(self.model, trainer=request.user, pk=pk)
        return Response(self.serializer_class(obj).data)

    def patch(self, request: TrainerRequest, pk: int) -> Response:
        obj = selectors.get_owned(self.model, trainer=request.user, pk=pk)
        data = valid(self.serializer_class, request, request.data, partial=True)
        obj = self.update(obj, data)
        return Response(self.serializer_class(obj).data)

    def delete(self, request: TrainerRequest, pk: int) -> Response:
        obj = selectors.get_owned(self.model, trainer=request.user, pk=pk)
        self.delete_obj(obj)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _crud_schema(tag: str, serializer: Any) -> Any:
    """Tags the endpoints and tells the schema the list answers many rows."""

    def decorate(view: Any) -> Any:
        if issubclass(view, CrudListView):
            view = extend_schema_view(get=extend_schema(responses=serializer(many=True)))(view)
        return extend_schema(tags=[tag])(view)

    return decorate


# --- Services ----------------------------------------------------------------------------------


@_crud_schema("services", ServiceSerializer)
class ServiceListApi(CrudListView):
    model = Service
    serializer_class = ServiceSerializer

    def create(self, request: TrainerRequest, data: dict[str, Any]) -> Service:
        return services.service_create(trainer=request.user, **data)


@_crud_schema("services", ServiceSerializer)
class ServiceDetailApi(CrudDetailView):
    """DELETE deactivates the service: its bookings and history stay."""

    model = Service
    serializer_class = ServiceSerializer

    def update(self, obj: Service, data: dict[str, Any]) -> Service:
        return services.service_update(service=obj, **data)

    def delete_obj(self, obj: Service) -> None:
        services.service_deactivate(service=obj)


# --- Availability ------------------------------------------------------------------------------


@_crud_schema("availability", WeeklyIntervalSerializer)
class WeeklyListApi(CrudListView):
    model = WeeklyInterval
    serializer_class = WeeklyIntervalSerializer

    def create(self, request: TrainerRequest, data: dict[str, Any]) -> WeeklyInterval:
        return services.weekly_interval_create(trainer=request.user, **data)


@_crud_schema("availability", WeeklyIntervalSerializer)
class WeeklyDetailApi(CrudDetailView):
    model = WeeklyInterval
    serializer_class = WeeklyIntervalSerializer

    def update(self, obj: WeeklyInterval, data: dict[str, Any]) -> WeeklyInterval:
        return services.weekly_interval_update(interval=obj, **data)

    def delete_obj(self, obj: WeeklyInterval) -> None:
        services.weekly_interval_delete(interval=obj)


@_crud_schema("availability", DateOverrideSerializer)
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


@_crud_schema("availability", DateOverrideSerializer)
class OverrideDetailApi(CrudDetailView):
    model = DateOverride
    serializer_class = DateOverrideSerializer

    def update(self, obj: DateOverride, data: dict[str, Any]) -> DateOverride:
        return services.date_override_update(override=obj, **data)

    def delete_obj(self, obj: DateOverride) -> None:
        services.date_override_delete(override=obj)


@_crud_schema("availability", TimeOffSerializer)
class TimeOffListApi(CrudListView):
    model = TimeOff
    serializer_class = TimeOffSerializer

    def create(self, request: TrainerRequest, data: dict[str, Any]) -> TimeOff:
        return services.time_off_create(trainer=request.user, **data)


@_crud_schema("availability", TimeOffSerializer)
class TimeOffDetailApi(CrudDetailView):
    model = TimeOff
    serializer_class = TimeOffSerializer

    def update(self, obj: TimeOff, data: dict[str, Any]) -> TimeOff:
        return services.time_off_update(time_off=obj, **data)

    def delete_obj(self, obj: TimeOff) -> None:
        services.time_off_delete(time_off=obj)


# --- Slots -------------------------------------------------------------------------------------


class SlotsApi(APIView):
    @extend_schema(
        tags=["slots"],
        parameters=[
            OpenApiParameter("service", OpenApiTypes.INT, required=True),
            OpenApiParameter("from", OpenApiTypes.DATE, description="First local date in tz."),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Last local date (inclusive)."),
            OpenApiParameter("tz", OpenApiTypes.STR, description="IANA zone; the trainer's."),
        ],
        responses=SlotsResponseSerializer,
    )
    def get(self, request: TrainerRequest) -> Response:
        query = valid(SlotsQuerySerializer, request, request.query_params.dict())
        service: Service = query["service"]
        if not service.is_active:
            raise InvalidInput({"service": ["This service is no longer offered."]})
        return Response(slots_answer(trainer=request.user, service=service, query=query))


def slots_answer(*, trainer: User, service: Service, query: dict[str, Any]) -> dict[str, Any]:
    """The body of a slots listing, the same for the trainer's and the public endpoint:
    `from`/`to` are local dates in `tz` (default: the trainer's), times carry tz's offset."""
    tz_name = query.get("tz") or trainer.timezone
    if not is_valid_timezone(tz_name):
        raise InvalidInput({"tz": [f"Unknown timezone {tz_name!r}; use an IANA name."]})
    tz = zone(tz_name)
    first = query.get("from") or timezone.now().astimezone(tz).date()
    last = query.get("to") or first + timedelta(days=13)
    if last < first:
        raise InvalidInput({"to": ["'to' must not be before 'from'."]})
    if (last - first).days + 1 > selectors.MAX_SLOT_RANGE_DAYS:
        raise InvalidInput(
            {"to": [f"Ask for at most {selectors.MAX_SLOT_RANGE_DAYS} days at a time."]}
        )
    found = selectors.slots_on_local_dates(
        trainer=trainer, service=service, first_day=first, last_day=last, tz_name=tz_name
    )
    return {
        "service": service.pk,
        "timezone": tz_name,
        "slots": [
            {
                "start": slot.start.astimezone(tz).isoformat(),
                "end": slot.end.astimezone(tz).isoformat(),
                "available": slot.available,
            }
            for slot in found
        ],
    }
