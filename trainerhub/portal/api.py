"""The portal's API: the public booking page (no auth, throttled), the manage link (the
token is the credential) and client accounts (JWT of a role=client user, `IsClient`)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import permissions, serializers, status, throttling
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from trainerhub.accounts.models import User
from trainerhub.accounts.tokens import issue_pair
from trainerhub.core.errors import DomainError, InvalidInput
from trainerhub.core.permissions import Pagination
from trainerhub.core.renderers import FastJSONRenderer
from trainerhub.core.validation import flag_from_text
from trainerhub.portal import payments, selectors, services
from trainerhub.portal.serializers import (
    ClientBookingSerializer,
    ClientLoginSerializer,
    ClientMeSerializer,
    ClientTokenPairSerializer,
    ErrorSerializer,
    ManagedBookingSerializer,
    PublicBookingCreateSerializer,
    PublicServiceSerializer,
    ReasonSerializer,
    SlotsQuerySerializer,
    StartSerializer,
)
from trainerhub.scheduling.api.slots import ADDONS_PARAMETER, slots_response
from trainerhub.scheduling.serializers import SlotsResponseSerializer, purchase_from


def valid(serializer_class: Any, data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise InvalidInput({"non_field_errors": ["Send a JSON object."]})
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _changed(body: Any) -> dict[int, Any]:
    """A client's change: the booking; 400 with field messages (a missing reason, a start
    without its offset); 404 (not theirs, or the link ended with the session); 409 with a code
    and a sentence (`no_longer_changeable`, a taken time...)."""
    return {
        200: body,
        400: OpenApiResponse(description='Bad input: {"<field>": ["..."]}'),
        404: OpenApiResponse(description='Not found: {"detail": "..."}'),
        409: ErrorSerializer,
    }


# --- Throttles ---------------------------------------------------------------------------


class _DynamicRate(throttling.SimpleRateThrottle):
    def get_rate(self) -> str | None:
        # Read on every request so settings overrides (tests, env) apply without a restart.
        rates = cast("dict[str, str | None]", api_settings.DEFAULT_THROTTLE_RATES)
        return rates.get(self.scope or "") or self.default_rate

    default_rate = "60/min"


class PublicAddressThrottle(_DynamicRate):
    """Per client address, every public endpoint together."""

    scope = "public"

    def get_cache_key(self, request: Request, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class PublicTrainerThrottle(_DynamicRate):
    """Per trainer page (slug) or per manage link (token), whoever asks: caps a distributed
    flood of one page without one bucket for every manage link. PublicView counts here only
    what the address's own limit let through, so one address cannot fill it for everyone."""

    scope = "public_trainer"
    default_rate = "600/min"

    def get_cache_key(self, request: Request, view: Any) -> str:
        kwargs = getattr(view, "kwargs", {})
        ident = f"slug:{kwargs['slug']}" if "slug" in kwargs else f"token:{kwargs.get('token')}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AuthThrottle(_DynamicRate):
    scope = "auth"
    default_rate = "20/min"

    def get_cache_key(self, request: Request, view: Any) -> str:
        return self.cache_format % {"scope": "client-auth", "ident": self.get_ident(request)}


class PublicView(APIView):
    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [PublicAddressThrottle, PublicTrainerThrottle]

    def check_throttles(self, request: Request) -> None:
        # DRF asks every throttle even after one refused, so the shared bucket would count
        # the requests the address's limit refused: stop at the first refusal instead.
        for throttle in self.get_throttles():
            if not throttle.allow_request(request, self):
                # DRF's Throttled takes None (no retry hint); the stubs ask for a number.
                self.throttled(request, throttle.wait())  # type: ignore[arg-type]


class IsClient(permissions.BasePermission):
    """Signed in with a client account: trainers use their own endpoints."""

    message = "Sign in with a client account to use this endpoint."

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and getattr(user, "role", "") == "client")


# --- Public page -------------------------------------------------------------------------


class PublicServicesApi(PublicView):
    @extend_schema(tags=["public"], responses=PublicServiceSerializer(many=True))
    def get(self, request: Request, slug: str) -> Response:
        trainer, _ = selectors.public_trainer(slug)
        offered = list(selectors.public_services(trainer))
        addons = selectors.public_addons(trainer, offered)
        return Response(
            PublicServiceSerializer(offered, many=True, context={"addons": addons}).data
        )


class PublicSlotsApi(PublicView):
    renderer_classes = [FastJSONRenderer]  # large answers (scheduling/api/slots.py)

    @extend_schema(
        tags=["public"],
        parameters=[
            OpenApiParameter("service", OpenApiTypes.INT, required=True),
            OpenApiParameter("from", OpenApiTypes.DATE, description="First local date in tz."),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Last local date (inclusive)."),
            OpenApiParameter("tz", OpenApiTypes.STR, description="IANA zone; the trainer's."),
            ADDONS_PARAMETER,
        ],
        responses=SlotsResponseSerializer,
    )
    def get(self, request: Request, slug: str) -> HttpResponse:
        trainer, _ = selectors.public_trainer(slug)
        query = valid(SlotsQuerySerializer, request.query_params.dict())
        service = selectors.public_service_get(trainer=trainer, pk=query["service"])
        return slots_response(request, trainer=trainer, service=service, query=query)


class _PaymentDueSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    amount = serializers.CharField()
    currency = serializers.CharField()


class CheckoutAnswerSerializer(serializers.Serializer):
    booking = ManagedBookingSerializer()
    payment = _PaymentDueSerializer()
    checkout_url = serializers.URLField()


PUBLIC_BOOKING_CREATED = PolymorphicProxySerializer(
    component_name="PublicBookingCreated",
    serializers=[ManagedBookingSerializer, CheckoutAnswerSerializer],
    resource_type_field_name=None,
)


class PublicBookingsApi(PublicView):
    @extend_schema(
        tags=["public"],
        request=PublicBookingCreateSerializer,
        responses={201: PUBLIC_BOOKING_CREATED},
        description="When the trainer takes payments online and something is due now (the "
        "deposit, or the price unless paid at the session), the booking is held as "
        "`pending_payment` and the answer carries the payment and Stripe's `checkout_url`.",
    )
    def post(self, request: Request, slug: str) -> Response:
        trainer, _ = selectors.public_trainer(slug)
        data = valid(PublicBookingCreateSerializer, request.data)
        service = selectors.public_service_get(trainer=trainer, pk=data["service"])
        booking = services.public_booking_create(
            trainer=trainer,
            service=service,
            start=data["start"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            phone=data["phone"],
            note=data["note"],
            fields=data["fields"],
            tz=data.get("tz", ""),
            purchase=purchase_from(data),
        )
        answer = ManagedBookingSerializer(booking).data
        checkout = payments.checkout_for(request._request, booking, data.get("tz", ""))
        if checkout is None:
            return Response(answer, status=status.HTTP_201_CREATED)
        booking.refresh_from_db()
        return Response(
            {
                "booking": ManagedBookingSerializer(booking).data,
                "payment": {
                    "id": checkout.pk,
                    "amount": f"{checkout.amount:.2f}",
                    "currency": checkout.currency,
                },
                "checkout_url": checkout.checkout_url,
            },
            status=status.HTTP_201_CREATED,
        )


# --- Manage link -------------------------------------------------------------------------


class ManageApi(PublicView):
    @extend_schema(tags=["manage"], responses=ManagedBookingSerializer)
    def get(self, request: Request, token: str) -> Response:
        return Response(ManagedBookingSerializer(selectors.booking_for_token(token)).data)


class ManageCancelApi(PublicView):
    @extend_schema(
        tags=["manage"], request=ReasonSerializer, responses=_changed(ManagedBookingSerializer)
    )
    def post(self, request: Request, token: str) -> Response:
        booking = selectors.booking_for_token(token)
        data = valid(ReasonSerializer, request.data)
        booking = services.client_cancel(booking=booking, reason=data["reason"])
        return Response(ManagedBookingSerializer(booking).data)


class ManageRescheduleApi(PublicView):
    @extend_schema(
        tags=["manage"], request=StartSerializer, responses=_changed(ManagedBookingSerializer)
    )
    def post(self, request: Request, token: str) -> Response:
        booking = selectors.booking_for_token(token)
        data = valid(StartSerializer, request.data)
        booking = services.client_reschedule(booking=booking, start=data["start"])
        return Response(ManagedBookingSerializer(booking).data)


# --- Client accounts ---------------------------------------------------------------------


class ClientLoginApi(APIView):
    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [AuthThrottle]

    @extend_schema(
        tags=["client"],
        request=ClientLoginSerializer,
        responses={200: ClientTokenPairSerializer, 401: ErrorSerializer, 429: ErrorSerializer},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        data = valid(ClientLoginSerializer, request.data)
        try:
            user = services.client_authenticate(
                request=request, email=data["email"], password=data["password"]
            )
        except DomainError as exc:
            return Response({"code": exc.code, "detail": exc.detail}, status=exc.status)
        user_logged_in.send(sender=user.__class__, request=request._request, user=user)
        return Response(issue_pair(user))


class ClientView(APIView):
    permission_classes = [IsClient]


class ClientMeApi(ClientView):
    @extend_schema(tags=["client"], responses=ClientMeSerializer)
    def get(self, request: Request) -> Response:
        # IsClient let only a signed-in client account through.
        user = cast(User, request.user)
        trainers = {
            b.trainer_id: {"name": b.trainer.display_name, "slug": b.trainer.slug}
            for b in selectors.client_bookings(user=user)
        }
        return Response(
            {
                "id": user.pk,
                "email": user.email,
                "name": user.name,
                "timezone": user.timezone,
                "trainers": list(trainers.values()),
            }
        )


class ClientBookingsApi(ClientView):
    @extend_schema(
        tags=["client"],
        parameters=[
            OpenApiParameter("upcoming", OpenApiTypes.BOOL, description="Only future ones."),
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter("page_size", OpenApiTypes.INT),
        ],
        responses=ClientBookingSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        try:
            upcoming = flag_from_text(request.query_params.get("upcoming")) is True
        except DjangoValidationError as exc:
            raise InvalidInput({"upcoming": list(exc.messages)}) from None
        qs = selectors.client_bookings(user=request.user, upcoming=upcoming)
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(ClientBookingSerializer(page, many=True).data)


class ClientBookingApi(ClientView):
    @extend_schema(tags=["client"], responses=ClientBookingSerializer)
    def get(self, request: Request, pk: int) -> Response:
        booking = selectors.client_booking_get(user=request.user, pk=pk)
        return Response(ClientBookingSerializer(booking).data)


class ClientBookingCancelApi(ClientView):
    @extend_schema(
        tags=["client"], request=ReasonSerializer, responses=_changed(ClientBookingSerializer)
    )
    def post(self, request: Request, pk: int) -> Response:
        booking = selectors.client_booking_get(user=request.user, pk=pk)
        data = valid(ReasonSerializer, request.data)
        booking = services.client_cancel(
            booking=booking, reason=data["reason"], actor_user=request.user
        )
        return Response(ClientBookingSerializer(booking).data)


class ClientBookingRescheduleApi(ClientView):
    @extend_schema(
        tags=["client"], request=StartSerializer, responses=_changed(ClientBookingSerializer)
    )
    def post(self, request: Request, pk: int) -> Response:
        booking = selectors.client_booking_get(user=request.user, pk=pk)
        data = valid(StartSerializer, request.data)
        booking = services.client_reschedule(
            booking=booking, start=data["start"], actor_user=request.user
        )
        return Response(ClientBookingSerializer(booking).data)
