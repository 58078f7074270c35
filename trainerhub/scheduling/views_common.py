"""What every scheduling page shares: the trainer check and small request helpers."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from trainerhub.core.errors import DomainError, InvalidInput


def trainer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in and a trainer; a client account sees nothing here (404)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not getattr(request.user, "is_trainer", False):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def error_text(exc: DomainError) -> str:
    """One sentence for a message banner, from any domain error."""
    if isinstance(exc, InvalidInput):
        return " ".join(m for msgs in exc.errors.values() for m in msgs)
    return exc.detail


def trigger(response: HttpResponse, event: str = "bookingChanged") -> HttpResponse:
    """Tell the page (calendar, lists) that bookings changed so it refreshes itself."""
    response["HX-Trigger"] = event
    return response
