"""API permission and pagination shared by every endpoint (kept free of rest_framework.views,
which imports this module while it loads)."""

from __future__ import annotations

from typing import Any

from rest_framework import pagination, permissions
from rest_framework.request import Request


class IsTrainer(permissions.BasePermission):
    """Signed in, and a trainer: client accounts never reach trainer endpoints."""

    message = "Sign in as a trainer to use this endpoint."

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and getattr(user, "is_trainer", False))


class Pagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200
