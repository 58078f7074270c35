"""The slots endpoint, and the one answer the trainer's and the public endpoint share."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from trainerhub.accounts.models import User
from trainerhub.accounts.requests import TrainerRequest
from trainerhub.core.errors import InvalidInput
from trainerhub.core.renderers import FastJSONRenderer
from trainerhub.core.timezones import is_valid_timezone, zone
from trainerhub.core.validation import instant_from_text
from trainerhub.scheduling import explain, pricing, selectors, slot_cache
from trainerhub.scheduling.api.common import (
    valid,
)
from trainerhub.scheduling.instants import LocalClock
from trainerhub.scheduling.models import Service
from trainerhub.scheduling.serializers import (
    SlotsQuerySerializer,
    SlotsResponseSerializer,
)

ADDONS_PARAMETER = OpenApiParameter(
    "addons",
    OpenApiTypes.STR,
    description="Ids of the service's add-ons, comma-separated: slots fit their extra minutes.",
)


class SlotsApi(APIView):
    # A 60-day listing is ~1,300 slots: orjson renders it several times faster than json.
    renderer_classes = [FastJSONRenderer]

    @extend_schema(
        tags=["slots"],
        parameters=[
            OpenApiParameter("service", OpenApiTypes.INT, required=True),
            OpenApiParameter("from", OpenApiTypes.DATE, description="First local date in tz."),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Last local date (inclusive)."),
            OpenApiParameter("tz", OpenApiTypes.STR, description="IANA zone; the trainer's."),
            ADDONS_PARAMETER,
        ],
        responses=SlotsResponseSerializer,
    )
    def get(self, request: TrainerRequest) -> Response:
        query = valid(SlotsQuerySerializer, request, request.query_params.dict())
        service: Service = query["service"]
        if not service.is_active:
            raise InvalidInput({"service": ["This service is no longer offered."]})
        return Response(slots_answer(trainer=request.user, service=service, query=query))


def addon_ids(raw: Any) -> list[int]:
    """`addons=3,4` as ids; 400 `addons` for anything else."""
    text = str(raw or "").strip()
    if not text:
        return []
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if len(parts) > pricing.MAX_ADDONS or not all(p.isdigit() and len(p) < 19 for p in parts):
        raise InvalidInput({"addons": ["Give add-on ids separated by commas, e.g. 3,4."]})
    return [int(p) for p in parts]


def slots_answer(*, trainer: User, service: Service, query: dict[str, Any]) -> dict[str, Any]:
    """The body of a slots listing, the same for the trainer's and the public endpoint:
    `from`/`to` are local dates in `tz` (default: the trainer's), times carry tz's offset."""
    tz_name = query.get("tz") or trainer.timezone
    if not is_valid_timezone(tz_name):
        raise InvalidInput({"tz": [f"Unknown timezone {tz_name!r}; use an IANA name."]})
    tz = zone(tz_name)
    first = query.get("from") or timezone.now().astimezone(tz).date()
    last = query.get("to") or first + timedelta(days=13)
    if last < first:
        raise InvalidInput({"to": ["'to' must not be before 'from'."]})
    if (last - first).days + 1 > selectors.MAX_SLOT_RANGE_DAYS:
        raise InvalidInput(
            {"to": [f"Ask for at most {selectors.MAX_SLOT_RANGE_DAYS} days at a time."]}
        )
    ids = addon_ids(query.get("addons"))

    def compute() -> dict[str, Any]:
        addons = pricing.addons_for(service=service, ids=ids)
        found = selectors.offered_on_local_dates(
            trainer=trainer,
            service=service,
            first_day=first,
            last_day=last,
            tz_name=tz_name,
            extra_minutes=sum(a.extra_minutes for a in addons),
        )
        listed: list[dict[str, Any]] = []
        if found:
            # Times in tz's offset, as astimezone(tz).isoformat() writes them, without a
            # datetime per slot (a 60-day listing has over a thousand).
            clock = LocalClock(tz, found[0][0], found[-1][1])
            starts = clock.isos(row[0] for row in found)
            ends = clock.isos(row[1] for row in found)
            listed = [
                {"start": start, "end": end, "available": row[2]}
                for start, end, row in zip(starts, ends, found, strict=True)
            ]
        return {"service": service.pk, "timezone": tz_name, "slots": listed}

    # Cached per trainer, service, dates, zone and add-ons until availability changes
    # (slot_cache); booking always re-checks, so a cached slot is an offer, never a seat.
    parts = ("list", service.pk, first, last, tz_name, tuple(ids))
    answer: dict[str, Any] = slot_cache.cached(trainer.pk, parts, compute)
    return answer


class SlotExplainApi(APIView):
    """Why a start is not free (or that it is): the slot engine's verdict with its facts."""

    @extend_schema(
        tags=["slots"],
        parameters=[
            OpenApiParameter("service", OpenApiTypes.INT, required=True),
            OpenApiParameter(
                "start", OpenApiTypes.DATETIME, required=True, description="ISO 8601 with offset."
            ),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: TrainerRequest) -> Response:
        service, start = explain_query(request.user, request.query_params.dict())
        return Response(explain.explain(trainer=request.user, service=service, start=start))


def explain_query(trainer: User, params: dict[str, Any]) -> tuple[Service, datetime]:
    """The service and start of an explain request, or a 400 naming the field."""
    errors: dict[str, list[str]] = {}
    service = selectors.active_service_or_none(trainer=trainer, pk=params.get("service"))
    if service is None:
        errors["service"] = ["Choose one of your bookable services."]
    try:
        # A "+" of the offset sent unencoded in a query string arrives as a space.
        start = instant_from_text((params.get("start") or "").replace(" ", "+"))
    except ValidationError as exc:
        errors["start"] = list(exc.messages)
    if errors or service is None:
        raise InvalidInput(errors)
    return service, start
