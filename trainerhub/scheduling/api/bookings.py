"""The bookings API: list, create, edit, status moves, reschedule, history, recurring."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from trainerhub.accounts.requests import TrainerRequest
from trainerhub.core.errors import InvalidInput
from trainerhub.core.timezones import local_day_bounds
from trainerhub.core.validation import day_from_text, instant_from_text
from trainerhub.scheduling import selectors, services
from trainerhub.scheduling.api.common import paginated, valid
from trainerhub.scheduling.models import Booking
from trainerhub.scheduling.serializers import (
    BookingCancelSerializer,
    BookingCreateSerializer,
    BookingDeclineSerializer,
    BookingEventSerializer,
    BookingFilterSerializer,
    BookingRescheduleSerializer,
    BookingSerializer,
    BookingUpdateSerializer,
    RecurringCreateSerializer,
    RecurringResultSerializer,
    purchase_from,
)

ACTOR = "api"
CONFLICT = OpenApiResponse(description='Refused: {"code": "...", "detail": "..."}')


def _bound(value: str | None, tz_name: str, field: str, *, end: bool) -> datetime | None:
    """A date (local to the trainer, `to` inclusive) or an ISO date-time with offset."""
    if not value:
        return None
    try:
        if len(value) == 10:
            day = day_from_text(value)
            return local_day_bounds(tz_name, day, day)[1 if end else 0]
        return instant_from_text(value)
    except ValidationError as exc:
        if exc.code == "invalid":
            raise InvalidInput(
                {field: ["Use a date (YYYY-MM-DD) or an ISO 8601 date and time."]}
            ) from exc
        raise InvalidInput({field: list(exc.messages)}) from exc


def _out(booking: Booking) -> dict[str, Any]:
    return BookingSerializer(booking).data


class BookingListApi(APIView):
    serializer_class = BookingSerializer

    @extend_schema(
        tags=["bookings"],
        parameters=[
            OpenApiParameter("from", OpenApiTypes.STR, description="Date or date-time."),
            OpenApiParameter("to", OpenApiTypes.STR, description="Date (inclusive) or date-time."),
            OpenApiParameter("status", OpenApiTypes.STR, description="One or several, a,b."),
            OpenApiParameter("client", OpenApiTypes.INT),
            OpenApiParameter("service", OpenApiTypes.INT),
        ],
        responses=BookingSerializer(many=True),
    )
    def get(self, request: TrainerRequest) -> Response:
        query = valid(BookingFilterSerializer, request, request.query_params.dict())
        tz_name = request.user.timezone
        bookings = selectors.bookings_for_trainer(
            trainer=request.user,
            start=_bound(query.get("from"), tz_name, "from", end=False),
            end=_bound(query.get("to"), tz_name, "to", end=True),
            status=query.get("status"),
            client=query.get("client"),
            service=query.get("service"),
        )
        return paginated(self, request, bookings, BookingSerializer)

    @extend_schema(
        tags=["bookings"],
        request=BookingCreateSerializer,
        responses={201: BookingSerializer, 409: CONFLICT},
    )
    def post(self, request: TrainerRequest) -> Response:
        data = valid(BookingCreateSerializer, request, request.data)
        booking = services.booking_create(
            trainer=request.user,
            client=data["client"],
            service=data["service"],
            start=data["start"],
            notes=data["notes"],
            source=Booking.Source.API,
            actor_user=request.user,
            override_rules=data["override_rules"],
            purchase=purchase_from(data, client_package=data.get("client_package")),
        )
        booking = selectors.booking_get_for_trainer(trainer=request.user, pk=booking.pk)
        return Response(_out(booking), status=status.HTTP_201_CREATED)


class BookingDetailApi(APIView):
    serializer_class = BookingSerializer

    @extend_schema(tags=["bookings"], responses=BookingSerializer)
    def get(self, request: TrainerRequest, pk: int) -> Response:
        return Response(_out(selectors.booking_get_for_trainer(trainer=request.user, pk=pk)))

    @extend_schema(tags=["bookings"], request=BookingUpdateSerializer, responses=BookingSerializer)
    def patch(self, request: TrainerRequest, pk: int) -> Response:
        booking = selectors.booking_get_for_trainer(trainer=request.user, pk=pk)
        data = valid(BookingUpdateSerializer, request, request.data)
        services.booking_update(booking=booking, actor=ACTOR, actor_user=request.user, **data)
        return Response(_out(selectors.booking_get_for_trainer(trainer=request.user, pk=pk)))


class _BookingActionApi(APIView):
    """POST bookings/{id}/<action>: one status move through its service."""

    serializer_class = BookingSerializer
    input_serializer: Any = None

    def act(self, booking: Booking, request: Request, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def post(self, request: TrainerRequest, pk: int) -> Response:
        booking = selectors.booking_get_for_trainer(trainer=request.user, pk=pk)
        data = valid(self.input_serializer, request, request.data) if self.input_serializer else {}
        self.act(booking, request, data)
        return Response(_out(selectors.booking_get_for_trainer(trainer=request.user, pk=pk)))


def _action_schema(request: Any = None) -> Any:
    return extend_schema(
        tags=["bookings"], request=request, responses={200: BookingSerializer, 409: CONFLICT}
    )


@_action_schema(BookingCancelSerializer)
class BookingCancelApi(_BookingActionApi):
    input_serializer = BookingCancelSerializer

    def act(self, booking: Booking, request: Request, data: dict[str, Any]) -> None:
        cancel = services.series_cancel_following if data["following"] else services.booking_cancel
        cancel(booking=booking, actor=ACTOR, actor_user=request.user, reason=data["reason"])


@_action_schema(BookingRescheduleSerializer)
class BookingRescheduleApi(_BookingActionApi):
    input_serializer = BookingRescheduleSerializer

    def act(self, booking: Booking, request: Request, data: dict[str, Any]) -> None:
        services.booking_reschedule(
            booking=booking,
            start=data["start"],
            actor=ACTOR,
            actor_user=request.user,
            override_rules=data["override_rules"],
        )


@_action_schema()
class BookingConfirmApi(_BookingActionApi):
    def act(self, booking: Booking, request: Request, data: dict[str, Any]) -> None:
        services.booking_confirm(booking=booking, actor=ACTOR, actor_user=request.user)


@_action_schema(BookingDeclineSerializer)
class BookingDeclineApi(_BookingActionApi):
    input_serializer = BookingDeclineSerializer

    def act(self, booking: Booking, request: Request, data: dict[str, Any]) -> None:
        services.booking_decline(
            booking=booking, actor=ACTOR, actor_user=request.user, message=data["message"]
        )


@_action_schema()
class BookingCompleteApi(_BookingActionApi):
    def act(self, booking: Booking, request: Request, data: dict[str, Any]) -> None:
        services.booking_complete(booking=booking, actor=ACTOR, actor_user=request.user)


@_action_schema()
class BookingNoShowApi(_BookingActionApi):
    def act(self, booking: Booking, request: Request, data: dict[str, Any]) -> None:
        services.booking_mark_no_show(booking=booking, actor=ACTOR, actor_user=request.user)


class BookingHistoryApi(APIView):
    serializer_class = BookingEventSerializer

    @extend_schema(tags=["bookings"], responses=BookingEventSerializer(many=True))
    def get(self, request: TrainerRequest, pk: int) -> Response:
        booking = selectors.booking_get_for_trainer(trainer=request.user, pk=pk)
        events = selectors.booking_history(booking=booking)
        return Response(BookingEventSerializer(events, many=True).data)


class BookingRecurringApi(APIView):
    serializer_class = RecurringResultSerializer

    @extend_schema(
        tags=["bookings"],
        request=RecurringCreateSerializer,
        responses={201: RecurringResultSerializer, 409: CONFLICT},
    )
    def post(self, request: TrainerRequest) -> Response:
        data = valid(RecurringCreateSerializer, request, request.data)
        series, bookings, refused = services.series_create(
            trainer=request.user,
            client=data["client"],
            service=data["service"],
            start=data["start"],
            every_weeks=data["every_weeks"],
            count=data.get("count"),
            until=data.get("until"),
            all_or_nothing=data["all_or_nothing"],
            source=Booking.Source.API,
            actor_user=request.user,
            override_rules=data["override_rules"],
            notes=data["notes"],
            purchase=purchase_from(data, client_package=data.get("client_package")),
        )
        if series is None:
            detail = (
                "Nothing was booked: some occurrences were refused."
                if bookings == [] and data["all_or_nothing"]
                else "Nothing was booked: every occurrence was refused."
            )
            return Response(
                {"code": "series_refused", "detail": detail, "refused": refused},
                status=status.HTTP_409_CONFLICT,
            )
        booked = selectors.bookings_for_trainer(trainer=request.user, pks=[b.pk for b in bookings])
        body = {
            "series": series.pk,
            "bookings": BookingSerializer(booked, many=True).data,
            "refused": refused,
        }
        return Response(body, status=status.HTTP_201_CREATED)
