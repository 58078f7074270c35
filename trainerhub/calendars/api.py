"""The trainer's own calendars over the API: list/create, get/patch/delete, refresh now.

Thin like every API module: validate, fetch through the access function (404 for another
trainer's id), call a service.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from trainerhub.accounts.requests import TrainerRequest
from trainerhub.calendars import selectors, services
from trainerhub.calendars.serializers import CalendarSubscriptionSerializer
from trainerhub.scheduling.api.common import paginated, valid

Serializer = CalendarSubscriptionSerializer


@extend_schema(tags=["calendars"])
class CalendarListApi(APIView):
    @extend_schema(responses=Serializer(many=True))
    def get(self, request: TrainerRequest) -> Response:
        rows = selectors.subscriptions_for_trainer(trainer=request.user)
        return paginated(self, request, rows, Serializer)

    @extend_schema(request=Serializer, responses={201: Serializer})
    def post(self, request: TrainerRequest) -> Response:
        data: dict[str, Any] = valid(Serializer, request, request.data)
        row = services.subscription_create(trainer=request.user, **data)
        return Response(Serializer(row).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["calendars"])
class CalendarDetailApi(APIView):
    @extend_schema(responses=Serializer)
    def get(self, request: TrainerRequest, pk: int) -> Response:
        row = selectors.subscription_get_for_trainer(trainer=request.user, pk=pk)
        return Response(Serializer(row).data)

    @extend_schema(request=Serializer, responses=Serializer)
    def patch(self, request: TrainerRequest, pk: int) -> Response:
        row = selectors.subscription_get_for_trainer(trainer=request.user, pk=pk)
        data = valid(Serializer, request, request.data, partial=True)
        row = services.subscription_update(subscription=row, **data)
        return Response(Serializer(row).data)

    @extend_schema(responses={204: None})
    def delete(self, request: TrainerRequest, pk: int) -> Response:
        row = selectors.subscription_get_for_trainer(trainer=request.user, pk=pk)
        services.subscription_delete(subscription=row)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["calendars"])
class CalendarRefreshApi(APIView):
    """Read the calendar now; the answer carries the outcome (last_error empty when read)."""

    @extend_schema(request=None, responses=Serializer)
    def post(self, request: TrainerRequest, pk: int) -> Response:
        row = selectors.subscription_get_for_trainer(trainer=request.user, pk=pk)
        services.subscription_refresh(subscription=row)
        return Response(Serializer(row).data)
