from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "SITE_URL": settings.SITE_URL,
        "CURRENT_TZ": timezone.get_current_timezone_name(),
    }
