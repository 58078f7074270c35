"""The API of online payments: the trainer's payment settings (keys write-only, masked in
reads), a booking's refund, and Stripe's webhook (public, verified by its signature)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from trainerhub.accounts.requests import TrainerRequest
from trainerhub.billing import online, refunds
from trainerhub.billing.models import RefundRequest
from trainerhub.scheduling.api.common import valid
from trainerhub.scheduling.selectors import booking_get_for_trainer

CONFLICT = OpenApiResponse(description='Refused: {"code": "...", "detail": "..."}')


class PaymentSettingsSerializer(serializers.Serializer):
    configured = serializers.BooleanField(read_only=True)
    offered = serializers.BooleanField(
        read_only=True,
        help_text="Clients are asked to pay online now: configured, and the plan includes it.",
    )
    plan_refusal = serializers.CharField(
        read_only=True,
        help_text="Why the plan in force does not include online payments (empty: it does).",
    )
    live = serializers.BooleanField(read_only=True)
    secret_key_hint = serializers.CharField(read_only=True)
    webhook_secret_hint = serializers.CharField(read_only=True)
    secret_key = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=255
    )
    webhook_secret = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=255
    )
    remove_keys = serializers.BooleanField(write_only=True, required=False, default=False)
    hold_minutes = serializers.IntegerField(required=False, min_value=30, max_value=1440)
    late_refund_percent = serializers.IntegerField(required=False, min_value=0, max_value=100)
    deposit_refundable = serializers.BooleanField(required=False)


class BookingRefundSerializer(serializers.Serializer):
    amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True, min_value=0
    )


class StripeRefundSerializer(serializers.ModelSerializer):
    class Meta:
        model = RefundRequest
        fields = ["id", "amount", "state", "reason", "attempts", "last_error", "created_at"]
        read_only_fields = fields


@extend_schema(tags=["payments"])
class PaymentSettingsApi(APIView):
    @extend_schema(responses=PaymentSettingsSerializer)
    def get(self, request: TrainerRequest) -> Response:
        return Response(PaymentSettingsSerializer(online.settings_read(request.user)).data)

    @extend_schema(
        request=PaymentSettingsSerializer,
        responses={200: PaymentSettingsSerializer, 409: CONFLICT},
        description="New keys on a plan without online payments: 409 `plan_limit` with "
        '`"limit": "online_payments"`.',
    )
    def put(self, request: TrainerRequest) -> Response:
        data = valid(PaymentSettingsSerializer, request, request.data)
        saved = online.settings_update(trainer=request.user, **data)
        return Response(PaymentSettingsSerializer(saved).data)


@extend_schema(tags=["payments"])
class BookingRefundApi(APIView):
    @extend_schema(
        request=BookingRefundSerializer,
        responses={202: StripeRefundSerializer(many=True), 409: CONFLICT},
        description="Refund a booking paid online through Stripe: `amount`, or by default "
        "all that is left. Answered once the refund is on its way (sent at once; if Stripe "
        "is unavailable, the worker retries it).",
    )
    def post(self, request: TrainerRequest, pk: int) -> Response:
        booking = booking_get_for_trainer(trainer=request.user, pk=pk)
        data = valid(BookingRefundSerializer, request, request.data)
        made = refunds.refund_booking(booking=booking, amount=data.get("amount"))
        rows = [refunds.refund_send(request_id=r.pk) for r in made]
        return Response(
            StripeRefundSerializer(rows, many=True).data, status=status.HTTP_202_ACCEPTED
        )


class StripeWebhookApi(APIView):
    """Stripe's events for one trainer's account, signed with their signing secret."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=["webhooks"],
        request=OpenApiTypes.OBJECT,
        responses={
            200: inline_serializer("StripeWebhookAnswer", {"received": serializers.BooleanField()}),
            400: OpenApiResponse(description="Bad signature or stale timestamp."),
        },
    )
    def post(self, request: Request, slug: str) -> Response:
        trainer = online.webhook_trainer(slug)
        if trainer is None:
            raise Http404
        payload = request._request.body  # the raw bytes Stripe signed
        signature = request.headers.get("Stripe-Signature", "")
        online.webhook_receive(trainer=trainer, payload=payload, signature=signature)
        return Response({"received": True})
