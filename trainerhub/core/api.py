"""One exception handler for the whole API: domain errors become answers a person understands."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from trainerhub.core.errors import Conflict, DomainError, InvalidInput, NotAllowed


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, InvalidInput):
        return Response(exc.errors, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Conflict | NotAllowed):
        extra = exc.extra if isinstance(exc, Conflict) else {}
        return Response({**extra, "code": exc.code, "detail": exc.detail}, status=exc.status)
    if isinstance(exc, DomainError):
        key = exc.field or "non_field_errors"
        return Response({key: [exc.detail]}, status=exc.status)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            # message_dict maps each field to its messages as strings already.
            body: Any = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
            body = {("non_field_errors" if k == "__all__" else k): v for k, v in body.items()}
        else:
            body = {"non_field_errors": exc.messages}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if (
        response is not None
        and isinstance(exc, exceptions.APIException)
        and isinstance(response.data, dict)
        and "detail" in response.data
        and "code" not in response.data
    ):
        # Every refusal names its rule, as the documented {detail, code} says (not_found,
        # not_authenticated, permission_denied, throttled, ...).
        codes = exc.get_codes()
        response.data["code"] = codes if isinstance(codes, str) else exc.default_code
    return response


# --- The OpenAPI document: the error answers every operation can give ------------------------

# What exception_handler answers: {"detail", "code"} for a refusal, {field: [messages]} for bad
# input (the keys are the request's fields), so an object of strings or lists of strings.
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "`detail` (and `code`) for a refusal; `{field: [messages]}` for bad input.",
    "additionalProperties": {
        "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}, {}]
    },
}
COMMON_ERRORS = {
    "400": "Bad input: the messages by field (or `detail`).",
    "401": "Not signed in, or the token has expired or was revoked.",
    "403": "Signed in, but not allowed here (a client account on a trainer's operation).",
    "404": "No such object (another trainer's or client's is a 404 too).",
    "405": "Method not allowed.",
    "406": "The Accept header asks for a type this operation cannot answer.",
    "409": "Conflict: the state changed (`code` says which rule).",
    "415": "Unsupported request content type.",
    "429": "Too many requests: wait and try again (`Retry-After`).",
}


def document_error_answers(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: every operation documents the error answers the
    API's shared layers give (authentication, permissions, throttles, parsers, the 404 of
    another trainer's object, exception_handler's 400 and 409) with their JSON shape, unless
    the operation documents that status itself. One place, so endpoints added later are
    covered as well."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR_SCHEMA)
    reference = {"$ref": "#/components/schemas/Error"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "put", "patch", "post", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for code, description in COMMON_ERRORS.items():
                if code not in responses:
                    responses[code] = {
                        "description": description,
                        "content": {"application/json": {"schema": reference}},
                    }
    return result
