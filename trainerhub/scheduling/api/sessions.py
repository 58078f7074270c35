"""The sessions API: move a session (a group class as a whole, or one attendee alone)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from trainerhub.accounts.requests import TrainerRequest
from trainerhub.core.access import MAX_PK
from trainerhub.core.errors import InvalidInput
from trainerhub.scheduling import selectors, services
from trainerhub.scheduling.api.common import valid
from trainerhub.scheduling.serializers import AwareDateTimeField, BookingSerializer

ACTOR = "api"


class SessionMoveSerializer(serializers.Serializer):
    start = AwareDateTimeField(help_text="The new start, ISO 8601 with a UTC offset.")
    booking = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_PK,
        help_text="Move only this attendee's booking (it opens or joins a session at the new "
        "time); leave out to move the whole session.",
    )
    override_rules = serializers.BooleanField(required=False, default=False)


class SessionMoveResultSerializer(serializers.Serializer):
    session = serializers.IntegerField(help_text="The session the moved bookings now sit in.")
    bookings = BookingSerializer(many=True)


class SessionMoveApi(APIView):
    serializer_class = SessionMoveResultSerializer

    @extend_schema(
        tags=["bookings"],
        summary="Move a session",
        description=(
            "Moves every attendee's booking of the session in one step (each client is told "
            "once, as for a reschedule), or with `booking` that attendee alone. The same rules "
            "as the calendar: the trainer may start anywhere inside the working hours; a "
            "refusal moves nobody."
        ),
        request=SessionMoveSerializer,
        responses={
            200: SessionMoveResultSerializer,
            400: OpenApiResponse(description="Field errors."),
            404: OpenApiResponse(description="No such session (or another trainer's)."),
            409: OpenApiResponse(description='Refused: {"code": "...", "detail": "..."}'),
        },
    )
    def post(self, request: TrainerRequest, pk: int) -> Response:
        trainer = request.user
        attendees = selectors.session_bookings(trainer=trainer, session_pk=pk)
        data = valid(SessionMoveSerializer, request, request.data)
        only = _attendee(attendees, data.get("booking"))
        moved = services.session_move(
            session=attendees[0].session,
            start=data["start"],
            actor=ACTOR,
            actor_user=trainer,
            override_rules=data["override_rules"],
            only=only,
        )
        rows = selectors.bookings_for_trainer(trainer=trainer, pks=[b.pk for b in moved])
        body = {"session": moved[0].session_id, "bookings": BookingSerializer(rows, many=True).data}
        return Response(body)


def _attendee(attendees: list[Any], pk: int | None) -> Any:
    if pk is None:
        return None
    for booking in attendees:
        if booking.pk == pk:
            return booking
    raise InvalidInput({"booking": ["This booking is not in this session."]})
