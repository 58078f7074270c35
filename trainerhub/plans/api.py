"""Plans over the API: the plans on offer, the trainer's subscription, and Paddle's webhook.
404 while plans are off."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from trainerhub.accounts.requests import TrainerRequest
from trainerhub.plans import conf, paddle_events, selectors, services
from trainerhub.plans.serializers import PlanSerializer, SubscriptionStateSerializer


class PlansOnView(APIView):
    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        if not conf.enabled():
            raise Http404("Plans are off on this server.")
        super().initial(request, *args, **kwargs)


@extend_schema(tags=["plans"])
class PlanListApi(PlansOnView):
    @extend_schema(
        operation_id="plans_list",
        responses=PlanSerializer(many=True),
        description="The plans a trainer may pick (404 while plans are off).",
    )
    def get(self, request: TrainerRequest) -> Response:
        return Response(PlanSerializer(selectors.plans_on_offer(), many=True).data)


@extend_schema(tags=["plans"])
class SubscriptionApi(PlansOnView):
    @extend_schema(
        operation_id="subscription_retrieve",
        responses=SubscriptionStateSerializer,
        description="The plan in force, the subscription's state and each limit's use.",
    )
    def get(self, request: TrainerRequest) -> Response:
        trainer = request.user
        state = selectors.plan_state(trainer)
        sub = state.subscription
        body = {
            "plan": state.plan,
            "status": sub.status if sub is not None else None,
            "current_period_end": sub.current_period_end if sub is not None else None,
            "bookings_stop_at": state.bookings_stop_at,
            "bookings_stopped": state.bookings_stopped(),
            "usage": selectors.usage_for(trainer),
            "billing_url": services.billing_path(),
        }
        return Response(SubscriptionStateSerializer(body).data)


@extend_schema(tags=["webhooks"])
class PaddleWebhookApi(PlansOnView):
    """Paddle's notifications: signed (Paddle-Signature), each event acted on once."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        operation_id="webhooks_paddle",
        request={"application/json": {"type": "object"}},
        responses={
            200: inline_serializer(
                "PaddleWebhookAnswer",
                {"received": serializers.BooleanField(), "duplicate": serializers.BooleanField()},
            ),
            400: OpenApiResponse(description="Bad or stale signature, or not an event."),
        },
    )
    def post(self, request: Request) -> Response:
        raw = request.body
        paddle_events.verify(header=request.headers.get("Paddle-Signature", ""), body=raw)
        handled = paddle_events.event_handle(paddle_events.parse(raw))
        return Response({"received": True, "duplicate": not handled})
