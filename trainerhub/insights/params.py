"""What the insights page and API read from a query string: the period and the service."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from trainerhub.accounts.models import User
from trainerhub.core.errors import InvalidInput
from trainerhub.core.timezones import zone
from trainerhub.core.validation import day_from_text
from trainerhub.insights.periods import MAX_DAYS, PRESETS, Period, preset_period
from trainerhub.scheduling import selectors as scheduling
from trainerhub.scheduling.models import Service


def today_for(trainer: User) -> date:
    return timezone.now().astimezone(zone(trainer.timezone)).date()


def _day(params: Mapping[str, str], key: str) -> date | None:
    raw = (params.get(key) or "").strip()
    if not raw:
        return None
    try:
        return day_from_text(raw)
    except ValidationError as exc:
        raise InvalidInput({key: list(exc.messages)}) from None


def period_from(params: Mapping[str, str], *, trainer: User) -> Period:
    """`from`/`to` (local dates, both or neither) or `period` (a preset); default 90 days."""
    first, last = _day(params, "from"), _day(params, "to")
    if first is None and last is None:
        key = params.get("period") or ""
        return preset_period(
            key if key in PRESETS else "", today=today_for(trainer), tz=trainer.timezone
        )
    if first is None or last is None:
        missing = "from" if first is None else "to"
        raise InvalidInput({missing: ["Give both 'from' and 'to', or neither."]})
    if last < first:
        raise InvalidInput({"to": ["'to' must not be before 'from'."]})
    if (last - first).days + 1 > MAX_DAYS:
        raise InvalidInput({"to": ["Ask for at most three years at a time."]})
    return Period(first, last, trainer.timezone)


def service_from(params: Mapping[str, str], *, trainer: User) -> Service | None:
    raw = (params.get("service") or "").strip()
    if not raw:
        return None
    try:
        service: Service = scheduling.get_owned(Service, trainer=trainer, pk=raw)
    except Http404:
        raise InvalidInput({"service": ["No such service."]}) from None
    return service
