"""What a locked-out login sees, on pages and in the API alike."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse


def lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_message() -> str:
    return (
        "Too many failed sign-in attempts for this account. "
        f"It is locked for {lockout_minutes()} minutes; try again later or reset your password."
    )


def lockout_response(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    return JsonResponse({"detail": lockout_message(), "code": "account_locked"}, status=429)
