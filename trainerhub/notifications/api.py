"""The in-app centre over the API: a trainer's lines or a client account's, whoever calls.
Thin: the selectors pick the caller's own rows (another's id is a 404), the services mark
them read."""

from __future__ import annotations

from typing import Any, cast

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from trainerhub.accounts.models import User
from trainerhub.core.errors import InvalidInput
from trainerhub.core.permissions import Pagination
from trainerhub.notifications import selectors, services

TRUE, FALSE = ("1", "true", "yes"), ("0", "false", "no")


class IsTrainerOrClient(permissions.BasePermission):
    """Signed in, as a trainer or with a client account: each sees their own centre."""

    message = "Sign in to use this endpoint."

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        return bool(getattr(user, "is_trainer", False) or getattr(user, "role", "") == "client")


class InAppNotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    # The message kind of a client's line; "" on a trainer's.
    kind = serializers.CharField(read_only=True, default="")
    title = serializers.CharField(read_only=True)
    body = serializers.CharField(read_only=True)
    url = serializers.CharField(read_only=True)
    unread = serializers.SerializerMethodField()
    read_at = serializers.DateTimeField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)

    def get_unread(self, obj: Any) -> bool:
        return obj.read_at is None


def _unread_filter(request: Request) -> bool | None:
    raw = request.query_params.get("unread")
    if raw is None or raw == "":
        return None
    if raw.lower() in TRUE:
        return True
    if raw.lower() in FALSE:
        return False
    raise InvalidInput({"unread": ["Use true or false."]})


class Base(APIView):
    permission_classes = [IsTrainerOrClient]


@extend_schema(tags=["notifications"])
class NotificationListApi(Base):
    @extend_schema(
        parameters=[
            OpenApiParameter("unread", OpenApiTypes.BOOL, description="Only unread (or read)."),
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter("page_size", OpenApiTypes.INT),
        ],
        responses=InAppNotificationSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        unread = _unread_filter(request)
        rows = selectors.in_app_for_user(user=request.user, unread=unread)
        paginator = Pagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(InAppNotificationSerializer(page, many=True).data)


@extend_schema(tags=["notifications"])
class NotificationUnreadCountApi(Base):
    @extend_schema(
        responses=inline_serializer("UnreadCount", {"unread": serializers.IntegerField()})
    )
    def get(self, request: Request) -> Response:
        return Response({"unread": selectors.unread_for_user(user=request.user)})


@extend_schema(tags=["notifications"])
class NotificationReadApi(Base):
    @extend_schema(request=None, responses=InAppNotificationSerializer)
    def post(self, request: Request, pk: int) -> Response:
        row = selectors.in_app_get_for_user(user=request.user, pk=pk)
        services.notification_mark_read(notification=row)
        return Response(InAppNotificationSerializer(row).data)


@extend_schema(tags=["notifications"])
class NotificationReadAllApi(Base):
    @extend_schema(
        request=None,
        responses=inline_serializer("MarkedRead", {"marked": serializers.IntegerField()}),
    )
    def post(self, request: Request) -> Response:
        user = cast(User, request.user)  # IsTrainerOrClient let only a signed-in user through
        return Response({"marked": services.in_app_mark_all_read(user=user)})
