"""API permission and pagination shared by every endpoint (kept free of rest_framework.views,
which imports this module while it loads)."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions, pagination, permissions
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

    def get_page_size(self, request: Any) -> int:
        # DRF answers the default size for a page_size it cannot read: a 400 says so instead.
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size or self.max_page_size
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise exceptions.ValidationError(
                {"page_size": [f"Give a whole number from 1 to {self.max_page_size}."]}
            )
        return int(raw)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            low = {"page": 1, "page_size": 1}.get(parameter["name"])
            if low is not None:
                parameter["schema"]["minimum"] = low
            if parameter["name"] == "page_size":
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters
