"""Account API: register, sign in and out with JWT, and the caller's own profile (`me`).

There is no `/users/{id}`: `me` is always the signed-in trainer, so no path leads to another
trainer's account.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.views import TokenRefreshView

from trainerhub.accounts import services, tokens
from trainerhub.accounts.forms import PASSWORD_MAX
from trainerhub.accounts.models import User
from trainerhub.accounts.requests import TrainerRequest


class StrictCharField(serializers.CharField):
    """A string and only a string: 123 or [] for a name is a mistake, not "123"."""

    default_error_messages = {"invalid": "Not a valid string."}

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


def password_input() -> StrictCharField:
    return StrictCharField(max_length=PASSWORD_MAX, trim_whitespace=False, write_only=True)


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "name",
            "business_name",
            "slug",
            "timezone",
            "phone",
            "bio",
            "currency",
            "role",
            "date_joined",
        ]
        read_only_fields = fields


class RegisterSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = password_input()
    name = StrictCharField(max_length=150)
    timezone = StrictCharField(max_length=64)
    business_name = StrictCharField(max_length=150, required=False, allow_blank=True)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict) and "email" in data and not isinstance(data["email"], str):
            raise serializers.ValidationError({"email": ["Enter a valid email address."]})
        return super().to_internal_value(data)


class LoginSerializer(serializers.Serializer):
    email = StrictCharField(max_length=254)
    password = password_input()


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


class RefreshSerializer(tokens.FamilyTokenRefreshSerializer):
    refresh = StrictCharField(max_length=4096)


class LogoutSerializer(serializers.Serializer):
    refresh = StrictCharField(max_length=4096)


class ProfileSerializer(serializers.Serializer):
    name = StrictCharField(max_length=150, required=False)
    business_name = StrictCharField(max_length=150, required=False, allow_blank=True)
    slug = StrictCharField(max_length=50, required=False, allow_blank=True, allow_null=True)
    timezone = StrictCharField(max_length=64, required=False)
    phone = StrictCharField(max_length=32, required=False, allow_blank=True)
    bio = StrictCharField(max_length=2000, required=False, allow_blank=True)
    currency = StrictCharField(max_length=3, required=False)


class PasswordChangeSerializer(serializers.Serializer):
    old_password = password_input()
    new_password = password_input()


DETAIL = inline_serializer("Detail", {"detail": serializers.CharField()})
ERROR = inline_serializer(
    "ErrorWithCode", {"detail": serializers.CharField(), "code": serializers.CharField()}
)


class AuthView(APIView):
    """Open to anyone, throttled per address: the doors of the API."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"


class RegisterView(AuthView):
    @extend_schema(
        request=RegisterSerializer,
        responses={201: UserSerializer, 400: OpenApiResponse(description="Field messages")},
        auth=[],
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        data = RegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.trainer_register(**data.validated_data)
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)


class LoginView(AuthView):
    @extend_schema(
        request=LoginSerializer,
        responses={200: TokenPairSerializer, 401: ERROR, 429: ERROR},
        auth=[],
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        data = LoginSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            user = services.trainer_authenticate(request=request, **data.validated_data)
        except (services.AccountLocked, services.LoginFailed) as exc:
            return Response({"detail": exc.detail, "code": exc.code}, status=exc.status)
        return Response(services.trainer_issue_tokens(request=request, user=user))


class RefreshView(TokenRefreshView):
    """Swap a refresh token for a new pair; the old refresh token stops working, and
    presenting it again ends the whole sign-in (its newer tokens too)."""

    serializer_class = RefreshSerializer
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"

    @extend_schema(responses={200: TokenPairSerializer, 401: ERROR}, auth=[], tags=["auth"])
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().post(request, *args, **kwargs)


class LogoutView(AuthView):
    @extend_schema(
        request=LogoutSerializer,
        responses={205: OpenApiResponse(description="Signed out"), 400: DETAIL},
        auth=[],
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        data = LogoutSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            # Its access tokens stop now too, not when they expire.
            tokens.revoke_by_refresh(data.validated_data["refresh"], because="logout")
        except TokenError:
            return Response(
                {"refresh": ["This token is invalid, expired or already signed out."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(status=status.HTTP_205_RESET_CONTENT)


class MeView(APIView):
    @extend_schema(responses=UserSerializer, tags=["me"])
    def get(self, request: Request) -> Response:
        return Response(UserSerializer(request.user).data)

    @extend_schema(request=ProfileSerializer, responses=UserSerializer, tags=["me"])
    def patch(self, request: TrainerRequest) -> Response:
        data = ProfileSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        user = services.profile_update(user=request.user, **data.validated_data)
        return Response(UserSerializer(user).data)


class PasswordView(APIView):
    @extend_schema(request=PasswordChangeSerializer, responses={200: DETAIL}, tags=["me"])
    def post(self, request: TrainerRequest) -> Response:
        data = PasswordChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.password_change(user=request.user, **data.validated_data)
        return Response(
            {
                "detail": "Password changed. Every API sign-in of this account has ended, "
                "this one too: sign in again with the new password."
            }
        )
