"""What the portal's pages share: the visitor's timezone, the slot picker, rate limits,
and the access decorators of client and trainer pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django_ratelimit.core import is_ratelimited

from trainerhub.accounts.models import User
from trainerhub.core.errors import DomainError, InvalidInput
from trainerhub.core.timezones import all_timezones, zone
from trainerhub.core.validation import day_from_text
from trainerhub.core.views import ratelimited
from trainerhub.portal import selectors
from trainerhub.scheduling.models import Booking, Service
from trainerhub.scheduling.selectors import slots_on_local_dates


def page_rate_limited(request: HttpRequest, *, trainer_key: str) -> bool:
    """Per address and per trainer; POSTs (bookings, sign-ups) count against a tighter rate."""
    post = request.method == "POST"
    ip_rate = getattr(settings, "PORTAL_POST_RATE" if post else "PORTAL_GET_RATE", None)
    ip_rate = ip_rate or ("30/m" if post else "120/m")
    trainer_rate = getattr(settings, "PORTAL_TRAINER_RATE", "600/m")
    group = "portal.post" if post else "portal.get"
    return is_ratelimited(
        request, group=group, key="ip", rate=ip_rate, method=["GET", "POST"], increment=True
    ) or is_ratelimited(
        request,
        group=group + ".trainer",
        key=lambda _g, _r: trainer_key,
        rate=trainer_rate,
        method=["GET", "POST"],
        increment=True,
    )


def too_many(request: HttpRequest) -> HttpResponse:
    return ratelimited(request, Exception("rate limited"))


def visitor_tz(request: HttpRequest, default: str) -> tuple[str, bool]:
    return selectors.resolve_tz(request.GET.get("tz") or request.POST.get("tz"), default)


def parse_day(value: str | None) -> date | None:
    # A day outside the product's one range is as unusable as a malformed one.
    try:
        return day_from_text(value) if value else None
    except ValidationError:
        return None


def parse_month(value: str | None) -> date | None:
    try:
        return day_from_text(f"{value}-01") if value else None
    except ValidationError:
        return None


def local(moment: datetime, tz: str) -> datetime:
    return moment.astimezone(zone(tz))


def with_query(url: str, **params: Any) -> str:
    clean = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{url}?{urlencode(clean)}" if clean else url


def picker_context(
    request: HttpRequest,
    *,
    trainer: User,
    service: Service,
    tz: str,
    page_url: str,
    time_url: Callable[[datetime], str],
    params: dict[str, Any],
) -> dict[str, Any]:
    """The month of free days and the free times of the chosen (or first free) day."""
    month = parse_month(request.GET.get("month"))
    day = parse_day(request.GET.get("date"))
    if month is None and day is not None:
        month = day
    if month is None and day is None:
        day = selectors.first_free_day(trainer=trainer, service=service, tz=tz)
        month = day
    mv = selectors.month_view(trainer=trainer, service=service, month=month, tz=tz)
    if day is None or day not in mv.free_days:
        day = min(mv.free_days) if mv.free_days and day is None else day
    times = []
    if day is not None and day in mv.free_days:
        for slot in slots_on_local_dates(
            trainer=trainer, service=service, first_day=day, last_day=day, tz_name=tz
        ):
            times.append(
                {
                    "label": local(slot.start, tz).strftime("%H:%M"),
                    "seats": slot.available,
                    "url": time_url(slot.start),
                }
            )

    def day_url(d: date) -> str:
        return with_query(page_url, **params, tz=tz, month=d.strftime("%Y-%m"), date=d.isoformat())

    def month_url(m: date | None) -> str | None:
        return with_query(page_url, **params, tz=tz, month=m.strftime("%Y-%m")) if m else None

    weeks = [
        [
            None
            if d is None
            else {
                "day": d,
                "free": d in mv.free_days,
                "url": day_url(d),
                "chosen": d == day,
            }
            for d in week
        ]
        for week in mv.weeks
    ]
    return {
        "month": mv.month,
        "weeks": weeks,
        "prev_url": month_url(mv.prev_month),
        "next_url": month_url(mv.next_month),
        "day": day if day in mv.free_days else None,
        "asked_day": day,
        "times": times,
        "any_free": bool(mv.free_days) or mv.next_month is not None,
        "group": service.capacity > 1,
        "tz": tz,
        "tz_params": {
            **params,
            "month": request.GET.get("month", ""),
            "date": request.GET.get("date", ""),
        },
        "page_url": page_url,
        "timezones": all_timezones(),
    }


def error_messages(exc: DomainError) -> list[str]:
    if isinstance(exc, InvalidInput):
        return [
            m for msgs in exc.errors.values() for m in (msgs if isinstance(msgs, list) else [msgs])
        ]
    return [exc.detail]


def booking_times(booking: Booking, tz: str) -> dict[str, Any]:
    """The booking's start and end in the viewer's zone and, when it differs, the trainer's."""
    trainer_tz = booking.trainer.timezone
    return {
        "start_local": local(booking.start, tz),
        "end_local": local(booking.end, tz),
        "trainer_tz": trainer_tz,
        "start_trainer": local(booking.start, trainer_tz) if trainer_tz != tz else None,
    }
