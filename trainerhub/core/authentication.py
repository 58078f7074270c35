"""JWT authentication that also activates the signed-in trainer as the query tenant."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework_simplejwt.authentication import JWTAuthentication

from trainerhub.core.tenancy import activate


class TenantJWTAuthentication(JWTAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is not None:
            user = result[0]
            # Reset by TenantMiddleware when the request ends.
            activate(user.pk if getattr(user, "is_trainer", False) else None)
        return result
