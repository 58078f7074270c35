"""Account API: register, sign in and out with JWT, and the caller's own profile (`me`).

There is no `/users/{id}`: `me` is always the signed-in trainer, so no path leads to another
trainer's account.
"""

from __future__ import annotations

from collections.abc import Mapping
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

from trainerhub.accounts import services, tokens, verification
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
            "email_verified",
        ]
        read_only_fields = fields

    email_verified = serializers.SerializerMethodField()

    def get_email_verified(self, user: User) -> bool:
        # True also when EMAIL_VERIFICATION=off: nothing waits on the address then.
        return not verification.is_pending(user)


class RegisteredSerializer(UserSerializer):
    """The new account, and whether its booking page waits on the emailed link."""

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "verification_required", "detail"]
        read_only_fields = fields

    verification_required = serializers.SerializerMethodField()
    detail = serializers.SerializerMethodField()

    def get_verification_required(self, user: User) -> bool:
        return verification.is_pending(user)

    def get_detail(self, user: User) -> str:
        if verification.is_pending(user):
            return verification.SENT.format(email=user.email)
        return "Account created."


class VerifyEmailSerializer(serializers.Serializer):
    token = StrictCharField(max_length=1000)


class StrictEmailField(serializers.EmailField):
    """An address written as a string: 123 or [] is not one."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class RegisterSerializer(serializers.Serializer):
    email = StrictEmailField(max_length=254)
    password = password_input()
    name = StrictCharField(max_length=150)
    timezone = StrictCharField(max_length=64)
    business_name = StrictCharField(max_length=150, required=False, allow_blank=True)


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
        responses={
            201: RegisteredSerializer,
            400: OpenApiResponse(description="Field messages"),
        },
        auth=[],
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        data = RegisterSerializer(data=request.data)
        if not data.is_valid():
            # With the service's messages on the fields the serializer let through: all at once.
            body = request.data if isinstance(request.data, Mapping) else {}
            passed = {k: v for k, v in body.items() if k in data.fields and k not in data.errors}
            raise serializers.ValidationError(
                {**services.trainer_register_errors(passed), **data.errors}
            )
        user = services.trainer_register(**data.validated_data)
        return Response(RegisteredSerializer(user).data, status=status.HTTP_201_CREATED)


class VerifyEmailView(AuthView):
    """The token from the emailed link (the part after /accounts/verify-email/)."""

    @extend_schema(
        request=VerifyEmailSerializer,
        responses={200: UserSerializer, 400: OpenApiResponse(description="Field messages")},
        auth=[],
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        data = VerifyEmailSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            user = verification.email_verify(token=data.validated_data["token"])
        except verification.VerificationLinkDead as exc:
            return Response({"token": [exc.detail]}, status=status.HTTP_400_BAD_REQUEST)
        return Response(UserSerializer(user).data)


class VerifyEmailResendView(APIView):
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"

    @extend_schema(request=None, responses={202: DETAIL, 200: DETAIL}, tags=["me"])
    def post(self, request: TrainerRequest) -> Response:
        if verification.verification_send(user=request.user):
            detail = verification.SENT.format(email=request.user.email)
            return Response({"detail": detail}, status=status.HTTP_202_ACCEPTED)
        return Response({"detail": "Your email address is already verified."})


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
