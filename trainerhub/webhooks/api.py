"""Webhook endpoints and their delivery log over the API (the trainer's own only).

Thin like every API module: validate, fetch through the access function (404 for another
trainer's id), call a service."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from trainerhub.accounts.requests import TrainerRequest
from trainerhub.scheduling.api.common import paginated, valid
from trainerhub.webhooks import delivery, selectors, services
from trainerhub.webhooks.serializers import (
    DeliverySerializer,
    EndpointSerializer,
    EndpointWithSecretSerializer,
)


@extend_schema(tags=["webhooks"])
class EndpointListApi(APIView):
    @extend_schema(responses=EndpointSerializer(many=True))
    def get(self, request: TrainerRequest) -> Response:
        rows = selectors.endpoints_for_trainer(trainer=request.user)
        return paginated(self, request, rows, EndpointSerializer)

    @extend_schema(request=EndpointSerializer, responses={201: EndpointWithSecretSerializer})
    def post(self, request: TrainerRequest) -> Response:
        data: dict[str, Any] = valid(EndpointSerializer, request, request.data)
        data.pop("enabled", None)
        row = services.endpoint_create(trainer=request.user, **data)
        return Response(EndpointWithSecretSerializer(row).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["webhooks"])
class EndpointDetailApi(APIView):
    @extend_schema(responses=EndpointSerializer)
    def get(self, request: TrainerRequest, pk: int) -> Response:
        row = selectors.endpoint_get_for_trainer(trainer=request.user, pk=pk)
        return Response(EndpointSerializer(row).data)

    @extend_schema(request=EndpointSerializer, responses=EndpointSerializer)
    def patch(self, request: TrainerRequest, pk: int) -> Response:
        row = selectors.endpoint_get_for_trainer(trainer=request.user, pk=pk)
        data = valid(EndpointSerializer, request, request.data, partial=True)
        row = services.endpoint_update(endpoint=row, **data)
        return Response(EndpointSerializer(row).data)

    @extend_schema(responses={204: None})
    def delete(self, request: TrainerRequest, pk: int) -> Response:
        row = selectors.endpoint_get_for_trainer(trainer=request.user, pk=pk)
        services.endpoint_delete(endpoint=row)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["webhooks"])
class EndpointTestApi(APIView):
    """Send a `webhook.test` event now; answers the delivery with the attempt's result."""

    @extend_schema(request=None, responses={201: DeliverySerializer})
    def post(self, request: TrainerRequest, pk: int) -> Response:
        row = selectors.endpoint_get_for_trainer(trainer=request.user, pk=pk)
        sent = delivery.send_now(services.test_event_write(endpoint=row))
        return Response(DeliverySerializer(sent).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["webhooks"])
class EndpointRotateSecretApi(APIView):
    @extend_schema(request=None, responses=EndpointWithSecretSerializer)
    def post(self, request: TrainerRequest, pk: int) -> Response:
        row = selectors.endpoint_get_for_trainer(trainer=request.user, pk=pk)
        row = services.endpoint_rotate_secret(endpoint=row)
        return Response(EndpointWithSecretSerializer(row).data)


@extend_schema(tags=["webhooks"])
class DeliveryListApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("endpoint", OpenApiTypes.INT, required=False)],
        responses=DeliverySerializer(many=True),
    )
    def get(self, request: TrainerRequest) -> Response:
        rows = selectors.deliveries_for_trainer(
            trainer=request.user, endpoint=request.query_params.get("endpoint")
        )
        return paginated(self, request, rows, DeliverySerializer)


@extend_schema(tags=["webhooks"])
class DeliveryDetailApi(APIView):
    @extend_schema(responses=DeliverySerializer)
    def get(self, request: TrainerRequest, pk: int) -> Response:
        row = selectors.delivery_get_for_trainer(trainer=request.user, pk=pk)
        return Response(DeliverySerializer(row).data)
