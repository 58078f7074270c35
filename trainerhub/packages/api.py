"""Packages over the API: the catalogue, selling, client packages, their ledger and the
trainer's adjustments. Thin: validate, fetch through the access functions (another trainer's
id is a 404), call a service; refusals are 409 {code, detail}."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from trainerhub.accounts.requests import TrainerRequest
from trainerhub.clients.selectors import client_get_for_trainer
from trainerhub.core.access import MAX_PK
from trainerhub.core.errors import InvalidInput
from trainerhub.packages import selectors, services
from trainerhub.packages.serializers import (
    STATUS_CHOICES,
    AdjustSerializer,
    ClientPackageSerializer,
    LedgerEntrySerializer,
    PackageSerializer,
    SellSerializer,
)
from trainerhub.scheduling.api.common import paginated, valid


def _client_package(request: TrainerRequest, pk: Any) -> Any:
    return selectors.client_package_get_for_trainer(trainer=request.user, pk=pk)


@extend_schema(tags=["packages"])
class PackageListApi(APIView):
    @extend_schema(responses=PackageSerializer(many=True))
    def get(self, request: TrainerRequest) -> Response:
        rows = selectors.packages_for_trainer(trainer=request.user)
        return paginated(self, request, rows, PackageSerializer)

    @extend_schema(request=PackageSerializer, responses={201: PackageSerializer})
    def post(self, request: TrainerRequest) -> Response:
        data = valid(PackageSerializer, request, request.data)
        row = services.package_create(trainer=request.user, **data)
        return Response(PackageSerializer(row).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["packages"])
class PackageDetailApi(APIView):
    @extend_schema(responses=PackageSerializer)
    def get(self, request: TrainerRequest, pk: int) -> Response:
        row = selectors.package_get_for_trainer(trainer=request.user, pk=pk)
        return Response(PackageSerializer(row).data)

    @extend_schema(request=PackageSerializer, responses=PackageSerializer)
    def patch(self, request: TrainerRequest, pk: int) -> Response:
        row = selectors.package_get_for_trainer(trainer=request.user, pk=pk)
        data = valid(PackageSerializer, request, request.data, partial=True)
        row = services.package_update(package=row, **data)
        return Response(PackageSerializer(row).data)

    @extend_schema(responses={204: None}, description="Deactivates: sold packages keep credits.")
    def delete(self, request: TrainerRequest, pk: int) -> Response:
        row = selectors.package_get_for_trainer(trainer=request.user, pk=pk)
        services.package_deactivate(package=row)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["packages"])
class PackageSellApi(APIView):
    @extend_schema(request=SellSerializer, responses={201: ClientPackageSerializer})
    def post(self, request: TrainerRequest, pk: int) -> Response:
        package = selectors.package_get_for_trainer(trainer=request.user, pk=pk)
        data = valid(SellSerializer, request, request.data)
        sold = services.package_sell(
            trainer=request.user,
            package=package,
            client=data["client"],
            payment=data.get("payment"),
        )
        row = _client_package(request, sold.pk)
        return Response(ClientPackageSerializer(row).data, status=status.HTTP_201_CREATED)


def _status_filter(request: TrainerRequest) -> str | None:
    value = request.query_params.get("status") or None
    if value is not None and value not in STATUS_CHOICES:
        raise InvalidInput({"status": [f"Choose one of {', '.join(STATUS_CHOICES)}."]})
    return value


@extend_schema(tags=["packages"])
class ClientPackageListApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("client", int),
            OpenApiParameter("status", str, enum=STATUS_CHOICES),
        ],
        responses=ClientPackageSerializer(many=True),
    )
    def get(self, request: TrainerRequest) -> Response:
        client = None
        raw = request.query_params.get("client")
        if raw:
            if not raw.isdigit() or not 0 < int(raw) <= MAX_PK:
                raise InvalidInput({"client": ["A valid integer id is required."]})
            # Another trainer's client id simply matches none of this trainer's packages.
            client = int(raw)
        rows = selectors.client_packages_for_trainer(
            trainer=request.user, client=client, status=_status_filter(request)
        )
        return paginated(self, request, rows, ClientPackageSerializer)


@extend_schema(tags=["packages"])
class ClientPackageDetailApi(APIView):
    @extend_schema(responses=ClientPackageSerializer)
    def get(self, request: TrainerRequest, pk: int) -> Response:
        return Response(ClientPackageSerializer(_client_package(request, pk)).data)


@extend_schema(tags=["packages"])
class ClientPackageLedgerApi(APIView):
    @extend_schema(responses=LedgerEntrySerializer(many=True))
    def get(self, request: TrainerRequest, pk: int) -> Response:
        row = _client_package(request, pk)
        return paginated(self, request, selectors.ledger_of(row), LedgerEntrySerializer)


@extend_schema(tags=["packages"])
class ClientPackageAdjustApi(APIView):
    @extend_schema(request=AdjustSerializer, responses={201: LedgerEntrySerializer})
    def post(self, request: TrainerRequest, pk: int) -> Response:
        row = _client_package(request, pk)
        data = valid(AdjustSerializer, request, request.data)
        entry = services.client_package_adjust(client_package=row, **data)
        return Response(LedgerEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["packages"])
class ClientPackagesOfClientApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("status", str, enum=STATUS_CHOICES)],
        responses=ClientPackageSerializer(many=True),
    )
    def get(self, request: TrainerRequest, pk: int) -> Response:
        client = client_get_for_trainer(trainer=request.user, pk=pk)
        rows = selectors.client_packages_for_trainer(
            trainer=request.user, client=client, status=_status_filter(request)
        )
        return paginated(self, request, rows, ClientPackageSerializer)
