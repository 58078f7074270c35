"""One exception handler for the whole API: domain errors become answers a person understands."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from trainerhub.core.errors import Conflict, DomainError, InvalidInput, NotAllowed
from trainerhub.core.permissions import Pagination


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
    # anyOf, not oneOf: a message is a string and also "any value" (a 409's facts, such as
    # the existing client's `id`), and oneOf would refuse what matches both.
    "additionalProperties": {
        "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}, {}]
    },
}
ERROR_COMPONENT = "ApiError"
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
    # Its own name: an app's serializer called "Error" ({detail, code} only) must not stand in.
    schemas[ERROR_COMPONENT] = ERROR_SCHEMA
    reference = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "put", "patch", "post", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for code, description in COMMON_ERRORS.items():
                if code not in responses:
                    responses[code] = {"description": description}
                _answers_the_error_shape(responses[code], reference)
    document_pagination(result, generator)
    document_path_text_rule(result)
    strict_request_bodies(result)
    return result


def _answers_the_error_shape(response: dict[str, Any], reference: dict[str, str]) -> None:
    """An error status an operation documents itself (`{detail, code}`, or a description
    only) can still be any answer of exception_handler: field messages for bad input most of
    all. Its own shape stays documented beside the shared one."""
    content = response.setdefault("content", {})
    media = content.setdefault("application/json", {})
    own = media.get("schema")
    if own is None or own == reference:
        media["schema"] = reference
    elif reference not in own.get("anyOf", []):
        media["schema"] = {"anyOf": [own, reference]}


def _answers_a_page(view: Any) -> bool:
    # The API's list views answer through scheduling.api.common.paginated (or a paginator
    # of their own): found in the GET handler's source, so a view added later is covered
    # without a mark. The sweep in tests/schema checks the result against the answers.
    import inspect

    handler = getattr(view, "get", None)
    if handler is None:
        return False
    try:
        source = inspect.getsource(handler)
    except (OSError, TypeError):
        return False
    return "paginated(" in source or "paginate_queryset(" in source


def document_pagination(result: dict[str, Any], generator: Any) -> None:
    """Paginated lists are documented as the page they answer ({count, next, previous,
    results}) with their `page` and `page_size` parameters, not as a bare array."""
    paginator = Pagination()
    for path, _regex, method, callback in getattr(generator, "endpoints", None) or []:
        if method != "GET" or not _answers_a_page(getattr(callback, "cls", None)):
            continue
        operation = result.get("paths", {}).get(path, {}).get("get")
        if not operation:
            continue
        ok = operation.get("responses", {}).get("200", {})
        media = ok.get("content", {}).get("application/json", {})
        schema = media.get("schema", {})
        if schema.get("type") != "array":
            continue
        media["schema"] = paginator.get_paginated_response_schema(schema)
        parameters = operation.setdefault("parameters", [])
        named = {(p.get("name"), p.get("in")) for p in parameters}
        for parameter in paginator.get_schema_operation_parameters(None):
            if (parameter["name"], parameter["in"]) not in named:
                parameters.append(parameter)


# core/validation.py's text rule on path parameters: no control characters (a 400).
PATH_TEXT_PATTERN = "^[^\\u0000-\\u001f\\u007f]*$"


def document_path_text_rule(result: dict[str, Any]) -> None:
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if parameter.get("in") == "path" and schema.get("type") == "string":
                    schema.setdefault("pattern", PATH_TEXT_PATTERN)


def strict_request_bodies(result: dict[str, Any]) -> None:
    """Every object a write body can hold says `additionalProperties: false`, as
    install_strict_input makes the serializers answer: an unknown field is a 400."""
    schemas = result.get("components", {}).get("schemas", {})
    seen: set[str] = set()
    pending: list[Any] = []
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if isinstance(operation, dict):
                for media in operation.get("requestBody", {}).get("content", {}).values():
                    pending.append(media.get("schema"))
    while pending:
        node = pending.pop()
        if not isinstance(node, dict):
            continue
        ref = node.get("$ref", "")
        if ref.startswith("#/components/schemas/"):
            name = ref.rsplit("/", 1)[1]
            if name not in seen and name in schemas:
                seen.add(name)
                pending.append(schemas[name])
            continue
        if "properties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        pending.extend(node.get("properties", {}).values())
        for key in ("items", "allOf", "oneOf", "anyOf"):
            value = node.get(key)
            pending.extend(value if isinstance(value, list) else [value])


# --- One input rule for every serializer: unknown fields are refused, by name ----------------

UNKNOWN_FIELD = "Unknown field: this operation does not take it."
READ_ONLY_FIELD = "This field is read-only: it cannot be set."


def unknown_field_errors(serializer: Any, data: Any) -> dict[str, list[str]]:
    """The keys of a write body that `serializer` does not take, each with its message (a
    field it only answers with is named read-only). Empty when the body is not an object."""
    if not isinstance(data, Mapping) or not getattr(serializer, "strict_input", True):
        return {}
    fields = serializer.fields
    writable = {f.field_name for f in fields.values() if not f.read_only}
    errors: dict[str, list[str]] = {}
    for key in data:
        if key in writable:
            continue
        known = key in fields
        errors[str(key)] = [READ_ONLY_FIELD if known else UNKNOWN_FIELD]
    return errors


# JSON has types, and a JSON body is held to the documented ones: DRF would read "0" or 0 as
# false, 5 as the text "5" and "5" as the number 5.
WRONG_TYPE = {
    "bool": "Send true or false.",
    "int": "Send a whole number.",
    "str": "Send text.",
    # As the document says (a string): a JSON number is a float on the way in.
    "decimal": 'Send the number as text, such as "12.50".',
}


def _json_kind(field: Any) -> str | None:
    from rest_framework import relations, serializers
    from rest_framework.settings import api_settings

    if isinstance(field, serializers.BooleanField):
        return "bool"
    if isinstance(field, serializers.IntegerField | relations.PrimaryKeyRelatedField):
        return "int"
    if isinstance(field, serializers.CharField):
        return "str"
    if isinstance(field, serializers.DecimalField) and api_settings.COERCE_DECIMAL_TO_STRING:
        return "decimal"
    if isinstance(field, serializers.ChoiceField) and field.choices:
        kinds = {type(k) for k in field.choices}
        return "str" if kinds == {str} else "int" if kinds == {int} else None
    return None


def _has_kind(value: Any, kind: str) -> bool:
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, str)  # str, decimal


def json_type_errors(
    serializer: Any, data: Mapping[str, Any], *, nulls: bool = False
) -> dict[str, list[str]]:
    """The fields of a JSON object whose value (or list item) has another JSON type than the
    field documents. Null is left to the field's own allow_null, unless `nulls` (for a body
    no serializer validates): then a null where the field takes none is named too."""
    from rest_framework import relations, serializers

    errors: dict[str, list[str]] = {}
    for name, field in serializer.fields.items():
        if field.read_only or name not in data:
            continue
        if data[name] is None:
            if nulls and not field.allow_null:
                errors[name] = [str(field.error_messages["null"])]
            continue
        value, kind = data[name], _json_kind(field)
        if isinstance(field, serializers.ListField | relations.ManyRelatedField):
            child = getattr(field, "child", None) or getattr(field, "child_relation", None)
            item_kind = _json_kind(child)
            if item_kind is None or not isinstance(value, list):
                continue
            if not all(_has_kind(item, item_kind) for item in value if item is not None):
                errors[name] = [WRONG_TYPE[item_kind]]
        elif kind is not None and not _has_kind(value, kind):
            errors[name] = [WRONG_TYPE[kind]]
    return errors


def _code(message: str) -> str:
    return "wrong_type" if message in WRONG_TYPE.values() else "unknown_field"


def install_strict_input() -> None:
    """Make every DRF serializer refuse the fields it does not take, in the same 400 as its
    other field messages (CoreConfig.ready calls this once, like the date and text rules in
    core/validation.py). DRF ignores unknown keys silently, so a typo (`bussiness_name`) or a
    field the operation does not allow looked like success; nested serializers and list items
    follow the same rule. A serializer reading query parameters opts out with
    `strict_input = False`. The OpenAPI document says the same (`additionalProperties: false`
    on every request body, `strict_request_bodies` below)."""
    from rest_framework import serializers

    original = serializers.Serializer.to_internal_value
    if getattr(original, "strict_input", False):
        return

    def to_internal_value(self: Any, data: Any) -> Any:
        from trainerhub.core.jsonbody import JsonObject

        unknown = unknown_field_errors(self, data)
        if isinstance(data, JsonObject) and getattr(self, "strict_input", True):
            unknown = {**json_type_errors(self, data), **unknown}
        try:
            value = original(self, data)
        except exceptions.ValidationError as exc:
            if unknown and isinstance(exc.detail, dict):
                # Reported with the other field messages: every error at once.
                for key, messages in unknown.items():
                    exc.detail.setdefault(
                        key, [exceptions.ErrorDetail(m, _code(m)) for m in messages]
                    )
            raise
        if unknown:
            raise exceptions.ValidationError(
                {k: [exceptions.ErrorDetail(m, _code(m)) for m in v] for k, v in unknown.items()}
            )
        return value

    to_internal_value.strict_input = True  # type: ignore[attr-defined]
    serializers.Serializer.to_internal_value = to_internal_value  # type: ignore[method-assign]


# --- The same rule for query parameters: the ones the document lists, and no others ----------

UNKNOWN_PARAMETER = "Unknown query parameter: this operation does not take it."
REPEATED_PARAMETER = "Give this query parameter once."
_DOCUMENTED = {"get", "post", "put", "patch", "delete"}
# Per operation: the query parameters it takes, and those of them documented as lists (the
# others are given once).
Taken = tuple[frozenset[str], frozenset[str]]
_taken_query: dict[tuple[Any, str], Taken | None] = {}


def query_parameters_taken(view: Any, method: str) -> Taken | None:
    """The query parameters the OpenAPI document lists for this operation: its extend_schema
    parameters (the view's and the method's) and, on a paginated list, page and page_size.
    None where the document says nothing of the operation (OPTIONS, or an excluded view)."""
    method = "get" if method == "head" else method
    key = (type(view), method)
    if key not in _taken_query:
        _taken_query[key] = _documented_query(view, method)
    return _taken_query[key]


def _documented_query(view: Any, method: str) -> Taken | None:
    import inspect

    from drf_spectacular.openapi import AutoSchema
    from drf_spectacular.utils import OpenApiParameter
    from rest_framework import serializers

    view_class = type(view)
    handler = getattr(view_class, method, None)
    if method not in _DOCUMENTED or handler is None:
        return None
    # What @extend_schema left on the method and on the class: AutoSchema subclasses whose
    # get_override_parameters() are the parameters the document lists.
    annotated = (
        getattr(handler, "kwargs", {}).get("schema"),
        type(inspect.getattr_static(view_class, "schema", None)),
    )
    names: set[str] = set()
    excluded: set[str] = set()
    repeatable: set[str] = set()
    for schema_class in annotated:
        if not (isinstance(schema_class, type) and issubclass(schema_class, AutoSchema)):
            continue
        schema = schema_class()
        schema.view, schema.method = view, method.upper()
        if schema.is_excluded():
            return None
        for parameter in schema.get_override_parameters():
            if not isinstance(parameter, OpenApiParameter):  # a serializer: its fields
                serializer = parameter() if isinstance(parameter, type) else parameter
                names.update(serializer.fields)
                repeatable.update(
                    k
                    for k, f in serializer.fields.items()
                    if isinstance(f, serializers.ListField | serializers.ListSerializer)
                )
            elif parameter.location == OpenApiParameter.QUERY:
                (excluded if parameter.exclude else names).add(parameter.name)
                if parameter.many:
                    repeatable.add(parameter.name)
    if method == "get" and _answers_a_page(view_class):
        names.update(("page", "page_size"))
    return frozenset(names - excluded), frozenset(repeatable)


def install_strict_query() -> None:
    """Make every API operation refuse a query parameter its document does not list, with a
    400 naming each (CoreConfig.ready calls this once, beside install_strict_input): a typo
    (`?stauts=cancelled`) answered an unfiltered list that looked like success. After
    authentication and permissions, so who may not ask still hears 401 or 403 first."""
    from rest_framework.views import APIView

    original = APIView.initial
    if getattr(original, "strict_query", False):
        return

    def initial(self: Any, request: Any, *args: Any, **kwargs: Any) -> None:
        original(self, request, *args, **kwargs)
        if not request.query_params:
            return
        documented = query_parameters_taken(self, request.method.lower())
        if documented is None:
            return
        taken, repeatable = documented
        errors = {
            k: [exceptions.ErrorDetail(UNKNOWN_PARAMETER, "unknown_parameter")]
            for k in sorted(request.query_params)
            if k not in taken
        }
        errors |= {
            k: [exceptions.ErrorDetail(REPEATED_PARAMETER, "repeated_parameter")]
            for k, values in request.query_params.lists()
            if k in taken and k not in repeatable and len(values) > 1
        }
        if errors:
            raise exceptions.ValidationError(errors)

    initial.strict_query = True  # type: ignore[attr-defined]
    APIView.initial = initial  # type: ignore[method-assign]
