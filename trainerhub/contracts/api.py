"""The contracts API: templates CRUD, contracts (list, create, get, send, void, pdf, events)
and the public signing endpoints of the private link. Thin: validate, fetch through the
access functions (404 for another trainer's id), call a service."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from trainerhub.accounts.requests import TrainerRequest
from trainerhub.contracts import evidence, selectors, services
from trainerhub.contracts.serializers import (
    ContractCreateSerializer,
    ContractDetailSerializer,
    ContractEventSerializer,
    ContractSerializer,
    ContractTemplateSerializer,
    DeclineSerializer,
    SignSerializer,
    VoidSerializer,
)
from trainerhub.contracts.services import CONSENT_TEXT
from trainerhub.contracts.views import pdf_filename, pdf_response, request_ip, request_ua
from trainerhub.core.errors import NotAllowed
from trainerhub.scheduling.api.common import paginated, valid

TemplateSerializer = ContractTemplateSerializer


def _actor(request: Any) -> Any:
    return services.trainer_actor(request.user, request_ip(request), request_ua(request))


@extend_schema(tags=["contracts"])
class TemplateListApi(APIView):
    @extend_schema(responses=TemplateSerializer(many=True))
    def get(self, request: TrainerRequest) -> Response:
        rows = selectors.templates_for_trainer(trainer=request.user)
        return paginated(self, request, rows, TemplateSerializer)

    @extend_schema(request=TemplateSerializer, responses={201: TemplateSerializer})
    def post(self, request: TrainerRequest) -> Response:
        data = valid(TemplateSerializer, request, request.data)
        row = services.template_create(trainer=request.user, **data)
        return Response(TemplateSerializer(row).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["contracts"])
class TemplateDetailApi(APIView):
    @extend_schema(responses=TemplateSerializer)
    def get(self, request: TrainerRequest, pk: int) -> Response:
        row = selectors.template_get_for_trainer(trainer=request.user, pk=pk)
        return Response(TemplateSerializer(row).data)

    @extend_schema(request=TemplateSerializer, responses=TemplateSerializer)
    def put(self, request: TrainerRequest, pk: int) -> Response:
        row = selectors.template_get_for_trainer(trainer=request.user, pk=pk)
        data = valid(TemplateSerializer, request, request.data)
        return Response(TemplateSerializer(services.template_update(template=row, **data)).data)

    @extend_schema(request=TemplateSerializer, responses=TemplateSerializer)
    def patch(self, request: TrainerRequest, pk: int) -> Response:
        row = selectors.template_get_for_trainer(trainer=request.user, pk=pk)
        data = valid(TemplateSerializer, request, request.data, partial=True)
        return Response(TemplateSerializer(services.template_update(template=row, **data)).data)

    @extend_schema(responses={204: None})
    def delete(self, request: TrainerRequest, pk: int) -> Response:
        row = selectors.template_get_for_trainer(trainer=request.user, pk=pk)
        services.template_delete(template=row)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["contracts"])
class ContractListApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("client", int),
            OpenApiParameter("booking", int),
            OpenApiParameter("status", str, enum=list(selectors.STATUS_FILTERS)),
        ],
        responses=ContractSerializer(many=True),
    )
    def get(self, request: TrainerRequest) -> Response:
        rows = selectors.contracts_for_trainer(
            trainer=request.user,
            client=request.query_params.get("client"),
            booking=request.query_params.get("booking"),
            status=request.query_params.get("status", ""),
        )
        return paginated(self, request, rows, ContractSerializer)

    @extend_schema(request=ContractCreateSerializer, responses={201: ContractDetailSerializer})
    def post(self, request: TrainerRequest) -> Response:
        from trainerhub.core.access import row_or_404
        from trainerhub.scheduling.client_reads import client_reads
        from trainerhub.scheduling.selectors import booking_get_for_trainer

        data = valid(ContractCreateSerializer, request, request.data)
        trainer = request.user
        template = selectors.template_get_for_trainer(trainer=trainer, pk=data["template"])
        client = row_or_404(client_reads().clients_for_trainer(trainer=trainer), data["client"])
        booking = None
        if data.get("booking"):
            booking = booking_get_for_trainer(trainer=trainer, pk=data["booking"])
        actor = _actor(request)
        contract = services.contract_create(
            trainer=trainer, template=template, client=client, booking=booking, actor=actor
        )
        if data["send"]:
            contract = services.contract_send(contract=contract, actor=actor)
        return Response(ContractDetailSerializer(contract).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["contracts"])
class ContractDetailApi(APIView):
    @extend_schema(responses=ContractDetailSerializer)
    def get(self, request: TrainerRequest, pk: int) -> Response:
        row = selectors.contract_get_for_trainer(trainer=request.user, pk=pk)
        return Response(ContractDetailSerializer(row).data)


@extend_schema(tags=["contracts"])
class ContractSendApi(APIView):
    """Send the signing link (the first send freezes the document), or send it again."""

    @extend_schema(request=None, responses=ContractDetailSerializer)
    def post(self, request: TrainerRequest, pk: int) -> Response:
        row = selectors.contract_get_for_trainer(trainer=request.user, pk=pk)
        row = services.contract_send(contract=row, actor=_actor(request))
        return Response(ContractDetailSerializer(row).data)


@extend_schema(tags=["contracts"])
class ContractVoidApi(APIView):
    @extend_schema(request=VoidSerializer, responses=ContractDetailSerializer)
    def post(self, request: TrainerRequest, pk: int) -> Response:
        row = selectors.contract_get_for_trainer(trainer=request.user, pk=pk)
        data = valid(VoidSerializer, request, request.data)
        row = services.contract_void(
            contract=row, actor=_actor(request), reason=data.get("reason", "")
        )
        return Response(ContractDetailSerializer(row).data)


@extend_schema(tags=["contracts"])
class ContractPdfApi(APIView):
    @extend_schema(responses={(200, "application/pdf"): bytes})
    def get(self, request: TrainerRequest, pk: int) -> HttpResponse:
        row = selectors.contract_get_for_trainer(trainer=request.user, pk=pk)
        if not row.final_pdf:
            raise NotAllowed("The signed PDF exists once everyone has signed.", code="not_signed")
        return pdf_response(row, filename=pdf_filename(row))


@extend_schema(tags=["contracts"])
class ContractEventsApi(APIView):
    @extend_schema(responses=ContractEventSerializer(many=True))
    def get(self, request: TrainerRequest, pk: int) -> Response:
        row = selectors.contract_get_for_trainer(trainer=request.user, pk=pk)
        events = selectors.events_of(row)
        report = evidence.verify_chain(row, events)
        return Response(
            {
                "chain_ok": report.ok,
                "problems": report.problems,
                "results": ContractEventSerializer(events, many=True).data,
            }
        )


# --- Public: the private signing link -------------------------------------------------------


class PublicSignView(APIView):
    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "public"


def _public_document(contract: Any) -> dict[str, Any]:
    return {
        "title": contract.title,
        "from": contract.trainer.display_name,
        "signer": contract.client.full_name,
        "status": contract.shown_status,
        "document_html": contract.document_html,
        "document_is_pdf": bool(contract.document_pdf),
        "document_sha256": contract.document_sha256,
        "fields": contract.fields,
        "consent_text": CONSENT_TEXT,
        "expires_at": contract.expires_at.isoformat() if contract.expires_at else None,
    }


@extend_schema(tags=["signing"])
class SignApi(PublicSignView):
    @extend_schema(responses={200: dict, 410: dict})
    def get(self, request: Request, token: str) -> Response:
        contract = selectors.contract_for_token(token)
        actor = services.client_actor(contract, request_ip(request), request_ua(request))
        contract = services.contract_viewed(contract=contract, actor=actor)
        return Response(_public_document(contract))

    @extend_schema(request=SignSerializer, responses={200: dict, 400: dict, 410: dict})
    def post(self, request: Request, token: str) -> Response:
        contract = selectors.contract_for_token(token)
        services.check_link(contract)
        data = valid(SignSerializer, request, request.data)
        actor = services.client_actor(contract, request_ip(request), request_ua(request))
        contract = services.contract_sign(
            contract=contract,
            fields=data.get("fields") or {},
            consent=data.get("consent"),
            signature=data.get("signature"),
            actor=actor,
        )
        return Response({"status": contract.shown_status, "final_sha256": contract.final_sha256})


@extend_schema(tags=["signing"])
class DeclineApi(PublicSignView):
    @extend_schema(request=DeclineSerializer, responses={200: dict, 400: dict, 410: dict})
    def post(self, request: Request, token: str) -> Response:
        contract = selectors.contract_for_token(token)
        services.check_link(contract)
        data = valid(DeclineSerializer, request, request.data)
        actor = services.client_actor(contract, request_ip(request), request_ua(request))
        contract = services.contract_decline(
            contract=contract, reason=data.get("reason", ""), actor=actor
        )
        return Response({"status": contract.shown_status})
