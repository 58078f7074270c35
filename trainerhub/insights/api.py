"""The insights API: each insight as JSON, with the period and service of the query."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from trainerhub.accounts.requests import TrainerRequest
from trainerhub.core.permissions import Pagination
from trainerhub.insights import report, risk
from trainerhub.insights.assistant import service

DAY = r"^(\d{4}-\d{2}-\d{2})?$"
PARAMETERS = [
    # Dates, or empty for none (as the insights page's own form sends them).
    OpenApiParameter(
        "from", OpenApiTypes.STR, pattern=DAY, description="First local date (with 'to')."
    ),
    OpenApiParameter(
        "to", OpenApiTypes.STR, pattern=DAY, description="Last local date, inclusive."
    ),
    OpenApiParameter(
        "period",
        OpenApiTypes.STR,
        description="A preset instead of from/to: 30d, 90d, this_month, last_month, "
        "this_year, last_year, 12m.",
    ),
    OpenApiParameter("service", OpenApiTypes.INT, description="Only this service."),
]


class InsightApi(APIView):
    section = ""

    @extend_schema(tags=["insights"], parameters=PARAMETERS, responses=OpenApiTypes.OBJECT)
    def get(self, request: TrainerRequest) -> Response:
        return Response(
            report.section(self.section, trainer=request.user, params=request.query_params.dict())
        )


# What a section reads beyond the period and the service (the query rule refuses the rest).
EXTRA_PARAMETERS = {
    "at-risk": [OpenApiParameter("level", OpenApiTypes.STR, enum=list(risk.LEVELS))],
}


def insight_view(name: str) -> type[InsightApi]:
    view = type(f"Insight{name.title().replace('-', '')}Api", (InsightApi,), {"section": name})
    if name in EXTRA_PARAMETERS:
        view = extend_schema_view(get=extend_schema(parameters=EXTRA_PARAMETERS[name]))(view)
    return view


class AskSerializer(serializers.Serializer):
    # Blank and length are the service's to judge, with its own messages.
    question = serializers.CharField(allow_blank=True, trim_whitespace=False)


class AssistantAskApi(APIView):
    @extend_schema(tags=["assistant"], request=AskSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request: TrainerRequest) -> Response:
        # A serializer, so an unknown field is refused by name like everywhere in the API.
        data = AskSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(service.ask(trainer=request.user, question=data.validated_data["question"]))


class AssistantHistoryApi(APIView):
    @extend_schema(tags=["assistant"], responses=OpenApiTypes.OBJECT)
    def get(self, request: TrainerRequest) -> Response:
        return paginated(self, request, service.history(trainer=request.user), service.history_item)


def paginated(view: APIView, request: TrainerRequest, queryset: Any, item: Any) -> Response:
    paginator = Pagination()
    page: list[Any] = paginator.paginate_queryset(queryset, request, view=view) or []
    return paginator.get_paginated_response([item(row) for row in page])
