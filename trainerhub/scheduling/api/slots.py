"""The slots endpoint, and the one answer the trainer's and the public endpoint share."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from trainerhub.accounts.models import User
from trainerhub.accounts.requests import TrainerRequest
from trainerhub.core.compress import MIN_BYTES
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
    # A 60-day listing is ~1,300 slots: orjson renders it several times faster than json
    # (the listing itself is rendered in slots_response; this renders the errors).
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
    def get(self, request: TrainerRequest) -> HttpResponse:
        query = valid(SlotsQuerySerializer, request, request.query_params.dict())
        service: Service = query["service"]
        if not service.is_active:
            raise InvalidInput({"service": ["This service is no longer offered."]})
        return slots_response(request, trainer=request.user, service=service, query=query)


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
    _parts, compute = _listing(trainer=trainer, service=service, query=query)
    return compute()


def slots_response(
    request: HttpRequest, *, trainer: User, service: Service, query: dict[str, Any]
) -> HttpResponse:
    """The listing as a JSON response, the same for the trainer's and the public endpoint.

    What is cached is the answer's bytes and their gzip (slot_cache): a hit then costs a
    cache read, not an orjson pass over ~1,300 slots and a gzip of ~115 KB (together about
    half of a cached request's CPU). Gzip is made here, as core.compress would make it, only
    when the bytes will be reused or this client takes it."""
    parts, compute = _listing(trainer=trainer, service=service, query=query)
    takes_gzip = "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "").lower()
    keep = slot_cache.enabled()

    def rendered() -> tuple[bytes, bytes | None]:
        body = FastJSONRenderer().render(compute())
        gz = None
        if len(body) >= MIN_BYTES and (keep or takes_gzip):
            gz = compress_string(body)
        return body, gz

    body, gz = slot_cache.cached(trainer.pk, parts, rendered)
    if gz is None or not takes_gzip or len(gz) >= len(body):
        return HttpResponse(body, content_type="application/json")
    response = HttpResponse(gz, content_type="application/json")
    response["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


def _listing(
    *, trainer: User, service: Service, query: dict[str, Any]
) -> tuple[tuple[Any, ...], Callable[[], dict[str, Any]]]:
    """The listing's cache parts and the function that computes its body; a 400 for a
    query that cannot be listed."""
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
    # "bytes": the entries are (body, gzip) since 559259d; an older process's dicts under
    # the same Redis keep their own keys.
    return ("bytes", service.pk, first, last, tz_name, tuple(ids)), compute


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
