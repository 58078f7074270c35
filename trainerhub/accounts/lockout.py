"""What a locked-out login sees, on pages and in the API alike."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse


def lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_message() -> str:
    return (
        "Too many failed sign-in attempts for this account. "
        f"It is locked for {lockout_minutes()} minutes; try again later or reset your password."
    )


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """What axes' middleware answers once it has flagged the request as locked out.

    The sign-in page already rendered the message on its form (status 429): keep that page.
    Everything else (the API) gets the JSON answer.
    """
    if (
        original_response is not None
        and original_response.status_code == 429
        and not request.path.startswith("/api/")
        and original_response.get("Content-Type", "").startswith("text/html")
    ):
        return original_response
    return JsonResponse({"detail": lockout_message(), "code": "account_locked"}, status=429)
