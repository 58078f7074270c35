"""The CRM's API views: thin, one per resource; rules in services/selectors."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import FileResponse, Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from trainerhub.accounts.requests import TrainerRequest
from trainerhub.clients import exporting, importing, notes, selectors, services
from trainerhub.clients import serializers as s
from trainerhub.clients.http import export_response, file_response, search_params
from trainerhub.clients.models import Client
from trainerhub.core.errors import InvalidInput
from trainerhub.core.jsonbody import LimitedJSONParser
from trainerhub.core.permissions import Pagination

LIST_PARAMS = [
    OpenApiParameter("search", str, description="Any part of name, email or phone"),
    OpenApiParameter("tag", str, description="Tag id or name"),
    OpenApiParameter("status", str, enum=["active", "inactive", "archived", "all"]),
    OpenApiParameter("ordering", str, enum=list(selectors.ORDERINGS)),
    OpenApiParameter("upcoming", bool, description="Has an upcoming booking"),
    OpenApiParameter("no_visit_days", int, description="No completed session in N days"),
    OpenApiParameter("risk", str, description="At this risk level (at_risk, lapsed) or any"),
]


def _client(request: TrainerRequest, pk: int) -> Client:
    return selectors.client_get_for_trainer(trainer=request.user, pk=pk)


def _client_out(client: Client) -> dict[str, Any]:
    stats = {client.pk: selectors.client_stats(client=client)}
    return s.ClientSerializer(client, context={"stats": stats}).data


class ClientListCreate(APIView):
    @extend_schema(parameters=LIST_PARAMS, responses=s.ClientListSerializer(many=True))
    def get(self, request: TrainerRequest) -> Response:
        qs = selectors.clients_search(trainer=request.user, **search_params(request.query_params))
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self) or []
        ids = [c.pk for c in page]
        stats = selectors.client_stats_bulk(trainer=request.user, client_ids=ids)
        data = s.ClientListSerializer(page, many=True, context={"stats": stats}).data
        return paginator.get_paginated_response(data)

    @extend_schema(request=s.ClientInputSerializer, responses={201: s.ClientSerializer})
    def post(self, request: TrainerRequest) -> Response:
        data = s.ClientInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        client = services.client_create(trainer=request.user, **data.to_service_kwargs())
        return Response(_client_out(client), status=status.HTTP_201_CREATED)


class ClientDetail(APIView):
    @extend_schema(responses=s.ClientSerializer)
    def get(self, request: TrainerRequest, pk: int) -> Response:
        return Response(_client_out(_client(request, pk)))

    @extend_schema(request=s.ClientInputSerializer, responses=s.ClientSerializer)
    def patch(self, request: TrainerRequest, pk: int) -> Response:
        client = _client(request, pk)
        data = s.ClientInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        client = services.client_update(client=client, **data.to_service_kwargs())
        return Response(_client_out(client))

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "cancel_future",
                bool,
                description="Cancel the client's future bookings (each client is told, with "
                "`message`). Default false: they are kept.",
            ),
            OpenApiParameter("message", str, description="The reason sent with cancellations"),
        ],
        responses={204: None},
        description="Archives the client (soft delete). Their future bookings are kept unless "
        "`cancel_future=true`.",
    )
    def delete(self, request: TrainerRequest, pk: int) -> Response:
        client = _client(request, pk)
        params = s.ArchiveParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        services.client_archive(client=client, **params.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ClientErase(APIView):
    @extend_schema(
        operation_id="clients_erase",
        request=s.ClientEraseSerializer,
        responses={200: s.ErasureSerializer},
        description="Erases the client's personal data for a privacy request (cannot be "
        "undone): every copy is deleted or anonymised, future bookings are cancelled, the "
        "portal account is disabled. `confirm` must be the client's full name.",
    )
    def post(self, request: TrainerRequest, pk: int) -> Response:
        client = _client(request, pk)
        data = s.ClientEraseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        record = services.client_erase(client=client, confirm=data.validated_data["confirm"])
        return Response(s.ErasureSerializer(record).data)


class ClientDataExport(APIView):
    @extend_schema(
        operation_id="clients_data_export",
        responses={(200, "application/json"): OpenApiTypes.OBJECT},
    )
    def get(self, request: TrainerRequest, pk: int) -> Response:
        client = _client(request, pk)
        response = Response(exporting.client_data_export(client=client))
        response["Content-Disposition"] = f'attachment; filename="client-{client.pk}.json"'
        return response


class NoteList(APIView):
    @extend_schema(responses=s.NoteSerializer(many=True))
    def get(self, request: TrainerRequest, pk: int) -> Response:
        client = _client(request, pk)
        paginator = Pagination()
        page = paginator.paginate_queryset(
            selectors.client_notes(client=client), request, view=self
        )
        return paginator.get_paginated_response(s.NoteSerializer(page, many=True).data)

    @extend_schema(request=s.NoteInputSerializer, responses={201: s.NoteSerializer})
    def post(self, request: TrainerRequest, pk: int) -> Response:
        client = _client(request, pk)
        data = s.NoteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        booking = _note_booking(client, data.validated_data)
        note = notes.note_create(client=client, body=data.validated_data["body"], booking=booking)
        return Response(s.NoteSerializer(note).data, status=status.HTTP_201_CREATED)


def _note_booking(client: Client, data: dict[str, Any]) -> Any:
    booking_id = data.get("booking")
    if booking_id is None:
        return None
    try:
        return selectors.booking_for_client(client=client, pk=booking_id)
    except Http404 as exc:
        raise InvalidInput({"booking": ["This session is not one of this client's."]}) from exc


class NoteDetail(APIView):
    def _note(self, request: TrainerRequest, pk: int, note_id: int) -> Any:
        client = _client(request, pk)
        return selectors.note_get_for_trainer(trainer=request.user, client=client, pk=note_id)

    @extend_schema(responses=s.NoteSerializer)
    def get(self, request: TrainerRequest, pk: int, note_id: int) -> Response:
        return Response(s.NoteSerializer(self._note(request, pk, note_id)).data)

    @extend_schema(request=s.NoteInputSerializer, responses=s.NoteSerializer)
    def patch(self, request: TrainerRequest, pk: int, note_id: int) -> Response:
        note = self._note(request, pk, note_id)
        data = s.NoteInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        kwargs: dict[str, Any] = {"body": data.validated_data.get("body")}
        if "booking" in data.validated_data:
            kwargs["booking"] = _note_booking(note.client, data.validated_data)
        note = notes.note_update(note=note, **kwargs)
        return Response(s.NoteSerializer(note).data)

    @extend_schema(responses={204: None})
    def delete(self, request: TrainerRequest, pk: int, note_id: int) -> Response:
        notes.note_delete(note=self._note(request, pk, note_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ClientBookings(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("when", str, enum=["upcoming", "past"])],
        responses=s.BookingSummarySerializer(many=True),
    )
    def get(self, request: TrainerRequest, pk: int) -> Response:
        client = _client(request, pk)
        when = {"upcoming": True, "past": False}.get(request.query_params.get("when", ""))
        paginator = Pagination()
        qs = selectors.client_bookings(client=client, upcoming=when)
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(s.BookingSummarySerializer(page, many=True).data)


class FileList(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(responses=s.ClientFileSerializer(many=True))
    def get(self, request: TrainerRequest, pk: int) -> Response:
        files = selectors.client_files(client=_client(request, pk))
        return Response(s.ClientFileSerializer(files, many=True).data)

    @extend_schema(request=s.FileUploadSerializer, responses={201: s.ClientFileSerializer})
    def post(self, request: TrainerRequest, pk: int) -> Response:
        client = _client(request, pk)
        data = s.FileUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        stored = notes.client_file_upload(
            client=client, upload=data.validated_data["file"], kind=data.validated_data["kind"]
        )
        return Response(s.ClientFileSerializer(stored).data, status=status.HTTP_201_CREATED)


class FileDetail(APIView):
    def _file(self, request: TrainerRequest, pk: int, file_id: int) -> Any:
        client = _client(request, pk)
        return selectors.file_get_for_trainer(trainer=request.user, client=client, pk=file_id)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request: TrainerRequest, pk: int, file_id: int) -> FileResponse:
        return file_response(self._file(request, pk, file_id))

    @extend_schema(responses={204: None})
    def delete(self, request: TrainerRequest, pk: int, file_id: int) -> Response:
        notes.client_file_delete(file=self._file(request, pk, file_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class TagList(APIView):
    @extend_schema(responses=s.TagSerializer(many=True))
    def get(self, request: TrainerRequest) -> Response:
        return Response(
            s.TagSerializer(selectors.tags_for_trainer(trainer=request.user), many=True).data
        )

    @extend_schema(request=s.TagInputSerializer, responses={201: s.TagSerializer})
    def post(self, request: TrainerRequest) -> Response:
        data = s.TagInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        tag = services.tag_create(trainer=request.user, **data.validated_data)
        tag = selectors.tag_with_count(trainer=request.user, pk=tag.pk)
        return Response(s.TagSerializer(tag).data, status=status.HTTP_201_CREATED)


class TagDetail(APIView):
    @extend_schema(responses=s.TagSerializer)
    def get(self, request: TrainerRequest, pk: int) -> Response:
        return Response(s.TagSerializer(selectors.tag_with_count(trainer=request.user, pk=pk)).data)

    @extend_schema(request=s.TagInputSerializer, responses=s.TagSerializer)
    def patch(self, request: TrainerRequest, pk: int) -> Response:
        tag = selectors.tag_get_for_trainer(trainer=request.user, pk=pk)
        data = s.TagInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.tag_update(tag=tag, **data.validated_data)
        return Response(s.TagSerializer(selectors.tag_with_count(trainer=request.user, pk=pk)).data)

    @extend_schema(responses={204: None})
    def delete(self, request: TrainerRequest, pk: int) -> Response:
        services.tag_delete(tag=selectors.tag_get_for_trainer(trainer=request.user, pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class IntakeFieldList(APIView):
    @extend_schema(responses=s.IntakeFieldSerializer(many=True))
    def get(self, request: TrainerRequest) -> Response:
        fields = selectors.intake_fields_for_trainer(trainer=request.user)
        return Response(s.IntakeFieldSerializer(fields, many=True).data)

    @extend_schema(request=s.IntakeFieldInputSerializer, responses={201: s.IntakeFieldSerializer})
    def post(self, request: TrainerRequest) -> Response:
        data = s.IntakeFieldInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        field = services.intake_field_create(trainer=request.user, **data.validated_data)
        return Response(s.IntakeFieldSerializer(field).data, status=status.HTTP_201_CREATED)


class IntakeFieldDetail(APIView):
    def _field(self, request: TrainerRequest, pk: int) -> Any:
        return selectors.intake_field_get_for_trainer(trainer=request.user, pk=pk)

    @extend_schema(responses=s.IntakeFieldSerializer)
    def get(self, request: TrainerRequest, pk: int) -> Response:
        return Response(s.IntakeFieldSerializer(self._field(request, pk)).data)

    @extend_schema(request=s.IntakeFieldInputSerializer, responses=s.IntakeFieldSerializer)
    def patch(self, request: TrainerRequest, pk: int) -> Response:
        field = self._field(request, pk)  # another trainer's is a 404, whatever the body
        data = s.IntakeFieldInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        field = services.intake_field_update(field=field, **data.validated_data)
        return Response(s.IntakeFieldSerializer(field).data)

    @extend_schema(responses={204: None}, description="Deactivates the field; answers stay.")
    def delete(self, request: TrainerRequest, pk: int) -> Response:
        services.intake_field_deactivate(field=self._field(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


def preview_data(preview: importing.ImportPreview) -> dict[str, Any]:
    def row(r: importing.ImportRow) -> dict[str, Any]:
        return {"line": r.line, "values": r.values, "errors": r.errors, "duplicate": r.duplicate}

    return {
        "token": preview.token,
        "columns": preview.columns,
        "ignored_columns": preview.ignored_columns,
        "new_tags": preview.new_tags,
        "rows": [row(r) for r in preview.rows],
        "valid_count": len(preview.valid),
        "errors": [row(r) for r in preview.invalid],
        "duplicates": [row(r) for r in preview.duplicates],
    }


class ClientImport(APIView):
    # The upload as multipart; the commit as JSON, through the API's own parser (its depth
    # limit and text rule).
    parser_classes = [MultiPartParser, LimitedJSONParser]

    @extend_schema(
        request={
            "multipart/form-data": inline_serializer(
                "ImportUpload", {"file": serializers.FileField()}
            ),
            "application/json": s.ImportCommitSerializer,
        },
        responses={200: s.ImportPreviewSerializer, 202: s.ImportJobSerializer},
        description="Upload a CSV (multipart `file`) for a preview; then send "
        "`{token, confirm: true}` to queue every valid row: the background worker writes "
        "them in short batches; follow the progress at `/clients/import/{id}`.",
    )
    def post(self, request: TrainerRequest) -> Response:
        upload = request.FILES.get("file")
        if upload is not None:
            if upload.size > importing.MAX_ROWS * 2000:
                raise InvalidInput({"file": ["The file is too large to import."]})
            preview = importing.import_preview(trainer=request.user, data=upload.read())
            return Response(preview_data(preview))
        data = s.ImportCommitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if not data.validated_data["confirm"]:
            raise InvalidInput({"confirm": ["Send confirm: true to import."]})
        job = importing.import_queue(trainer=request.user, token=data.validated_data["token"])
        return Response(s.ImportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class ClientImportStatus(APIView):
    @extend_schema(responses=s.ImportJobSerializer)
    def get(self, request: TrainerRequest, pk: int) -> Response:
        job = importing.import_job(trainer=request.user, pk=pk)
        return Response(s.ImportJobSerializer(job).data)


class IgnoreFormatNegotiation(DefaultContentNegotiation):
    """`?format=` picks the export's file type here, not DRF's renderer."""

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        first = next(iter(renderers))
        return (first, first.media_type)


class ClientExport(APIView):
    content_negotiation_class = IgnoreFormatNegotiation

    @extend_schema(
        parameters=[
            *LIST_PARAMS,
            OpenApiParameter("format", str, enum=list(exporting.FORMATS)),
            OpenApiParameter("kind", str, description="clients (default) or bookings"),
            OpenApiParameter("include_health", bool),
        ],
        responses={(200, "text/csv"): OpenApiTypes.BINARY},
        operation_id="clients_export",
    )
    def get(self, request: TrainerRequest) -> HttpResponse:
        return export_response(request.user, request.query_params)
