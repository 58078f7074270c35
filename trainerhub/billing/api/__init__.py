"""The billing API: payments and refunds, invoices (draft, issue, void, PDF, send), revenue.
Thin: validate, fetch through the access functions (another trainer's id is a 404), call a
service; refusals are 409 {code, detail}, bad input 400 by field."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from trainerhub.accounts.requests import TrainerRequest
from trainerhub.billing import documents, revenue, selectors, services
from trainerhub.billing.serializers import (
    InvoiceCreateSerializer,
    InvoiceSerializer,
    InvoiceUpdateSerializer,
    IssuedSerializer,
    PaymentCreateSerializer,
    PaymentFilterSerializer,
    PaymentSerializer,
    RefundSerializer,
    RevenueQuerySerializer,
    RevenueSerializer,
)
from trainerhub.core.errors import InvalidInput
from trainerhub.core.timezones import local_day_bounds
from trainerhub.scheduling.api.common import paginated, valid

CONFLICT = OpenApiResponse(description='Refused: {"code": "...", "detail": "..."}')


def _period(request: TrainerRequest, query: dict[str, Any]) -> tuple[Any, Any]:
    tz_name = request.user.timezone
    first, last = query.get("from"), query.get("to")
    start = local_day_bounds(tz_name, first, first)[0] if first else None
    end = local_day_bounds(tz_name, last, last)[1] if last else None
    return start, end


@extend_schema(tags=["payments"])
class PaymentListApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, description="Local date, inclusive."),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Local date, inclusive."),
            OpenApiParameter("client", OpenApiTypes.INT),
            OpenApiParameter("method", OpenApiTypes.STR),
            OpenApiParameter("booking", OpenApiTypes.INT),
            OpenApiParameter("invoice", OpenApiTypes.INT),
            OpenApiParameter("status", OpenApiTypes.STR),
        ],
        responses=PaymentSerializer(many=True),
    )
    def get(self, request: TrainerRequest) -> Response:
        query = valid(PaymentFilterSerializer, request, request.query_params.dict())
        start, end = _period(request, query)
        rows = selectors.payments_for_trainer(
            trainer=request.user,
            start=start,
            end=end,
            client=query.get("client"),
            method=query.get("method"),
            booking=query.get("booking"),
            invoice=query.get("invoice"),
            status=query.get("status"),
        )
        return paginated(self, request, rows, PaymentSerializer)

    @extend_schema(request=PaymentCreateSerializer, responses={201: PaymentSerializer})
    def post(self, request: TrainerRequest) -> Response:
        data = valid(PaymentCreateSerializer, request, request.data)
        payment = services.payment_record(
            trainer=request.user,
            client=data["client"],
            booking=data.get("booking"),
            client_package=data.get("client_package"),
            invoice=data.get("invoice"),
            amount=data["amount"],
            currency=data.get("currency") or None,
            method=data["method"],
            paid_at=data.get("paid_at"),
            note=data["note"],
            recorded_by=request.user,
        )
        row = selectors.payment_get_for_trainer(trainer=request.user, pk=payment.pk)
        return Response(PaymentSerializer(row).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["payments"])
class PaymentDetailApi(APIView):
    @extend_schema(responses=PaymentSerializer)
    def get(self, request: TrainerRequest, pk: int) -> Response:
        row = selectors.payment_get_for_trainer(trainer=request.user, pk=pk)
        return Response(PaymentSerializer(row).data)


@extend_schema(tags=["payments"])
class PaymentRefundApi(APIView):
    @extend_schema(request=RefundSerializer, responses={201: PaymentSerializer, 409: CONFLICT})
    def post(self, request: TrainerRequest, pk: int) -> Response:
        payment = selectors.payment_get_for_trainer(trainer=request.user, pk=pk)
        data = valid(RefundSerializer, request, request.data)
        refund = services.payment_refund(
            payment=payment, amount=data["amount"], note=data["note"], recorded_by=request.user
        )
        row = selectors.payment_get_for_trainer(trainer=request.user, pk=refund.pk)
        return Response(PaymentSerializer(row).data, status=status.HTTP_201_CREATED)


def _invoice_out(request: TrainerRequest, pk: int) -> dict[str, Any]:
    return InvoiceSerializer(selectors.invoice_get_for_trainer(trainer=request.user, pk=pk)).data


def _lines(data: dict[str, Any]) -> list[dict[str, Any]] | None:
    lines = data.get("lines")
    return [dict(line) for line in lines] if lines is not None else None


@extend_schema(tags=["invoices"])
class InvoiceListApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("client", OpenApiTypes.INT),
            OpenApiParameter("status", OpenApiTypes.STR),
        ],
        responses=InvoiceSerializer(many=True),
    )
    def get(self, request: TrainerRequest) -> Response:
        client = request.query_params.get("client") or None
        if client is not None and not client.isdigit():
            # Not silently "every client's invoices".
            raise InvalidInput({"client": ["A valid integer id is required."]})
        rows = selectors.invoices_for_trainer(
            trainer=request.user,
            client=int(client) if client else None,
            status=request.query_params.get("status") or None,
        )
        return paginated(self, request, rows, InvoiceSerializer)

    @extend_schema(request=InvoiceCreateSerializer, responses={201: InvoiceSerializer})
    def post(self, request: TrainerRequest) -> Response:
        data = valid(InvoiceCreateSerializer, request, request.data)
        invoice = services.invoice_create(
            trainer=request.user,
            client=data["client"],
            lines=_lines(data),
            bookings=data.get("bookings"),
            client_package=data.get("client_package"),
            currency=data.get("currency") or None,
            notes=data["notes"],
        )
        return Response(_invoice_out(request, invoice.pk), status=status.HTTP_201_CREATED)


@extend_schema(tags=["invoices"])
class InvoiceDetailApi(APIView):
    @extend_schema(responses=InvoiceSerializer)
    def get(self, request: TrainerRequest, pk: int) -> Response:
        return Response(_invoice_out(request, pk))

    @extend_schema(
        request=InvoiceUpdateSerializer, responses={200: InvoiceSerializer, 409: CONFLICT}
    )
    def patch(self, request: TrainerRequest, pk: int) -> Response:
        invoice = selectors.invoice_get_for_trainer(trainer=request.user, pk=pk)
        data = valid(InvoiceUpdateSerializer, request, request.data)
        services.invoice_update(
            invoice=invoice,
            lines=_lines(data),
            notes=data.get("notes"),
            client=data.get("client"),
            currency=data.get("currency"),
        )
        return Response(_invoice_out(request, pk))

    @extend_schema(responses={204: None, 409: CONFLICT})
    def delete(self, request: TrainerRequest, pk: int) -> Response:
        invoice = selectors.invoice_get_for_trainer(trainer=request.user, pk=pk)
        services.invoice_delete(invoice=invoice)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["invoices"])
class InvoiceIssueApi(APIView):
    @extend_schema(request=None, responses={200: IssuedSerializer, 409: CONFLICT})
    def post(self, request: TrainerRequest, pk: int) -> Response:
        invoice = selectors.invoice_get_for_trainer(trainer=request.user, pk=pk)
        invoice = services.invoice_issue(invoice=invoice)
        return Response(IssuedSerializer(invoice).data)


@extend_schema(tags=["invoices"])
class InvoiceVoidApi(APIView):
    @extend_schema(request=None, responses={201: InvoiceSerializer, 409: CONFLICT})
    def post(self, request: TrainerRequest, pk: int) -> Response:
        invoice = selectors.invoice_get_for_trainer(trainer=request.user, pk=pk)
        note = services.invoice_void(invoice=invoice)
        return Response(_invoice_out(request, note.pk), status=status.HTTP_201_CREATED)


@extend_schema(tags=["invoices"])
class InvoicePdfApi(APIView):
    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request: TrainerRequest, pk: int) -> HttpResponse:
        invoice = selectors.invoice_get_for_trainer(trainer=request.user, pk=pk)
        response = HttpResponse(documents.invoice_pdf(invoice), content_type=documents.PDF)
        response["Content-Disposition"] = (
            f'attachment; filename="{documents.pdf_filename(invoice)}"'
        )
        return response


@extend_schema(tags=["invoices"])
class InvoiceSendApi(APIView):
    @extend_schema(request=None, responses={202: None, 409: CONFLICT})
    def post(self, request: TrainerRequest, pk: int) -> Response:
        invoice = selectors.invoice_get_for_trainer(trainer=request.user, pk=pk)
        row = documents.invoice_send(invoice=invoice)
        return Response({"queued": True, "message": row.pk}, status=status.HTTP_202_ACCEPTED)


@extend_schema(tags=["revenue"])
class RevenueApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE),
            OpenApiParameter("to", OpenApiTypes.DATE),
            OpenApiParameter("group", OpenApiTypes.STR, enum=list(revenue.GROUPS)),
            OpenApiParameter("currency", OpenApiTypes.STR),
        ],
        responses=RevenueSerializer,
    )
    def get(self, request: TrainerRequest) -> Response:
        query = valid(RevenueQuerySerializer, request, request.query_params.dict())
        today = timezone.localdate()
        last = query.get("to") or today
        first = query.get("from") or last.replace(day=1)
        currency = query.get("currency")
        if currency:
            currency = services.clean_currency(currency)
        figures = revenue.revenue(
            trainer=request.user,
            first_day=first,
            last_day=last,
            group=query["group"],
            currency=currency,
            now=timezone.now(),
        )
        return Response(RevenueSerializer(figures).data)
