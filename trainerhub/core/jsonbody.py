"""Reading a JSON request body without letting it crash the server.

Python's json module recurses once per nested array or object: 100,000 "[" in a row raised
RecursionError (a 500) on login, register, public booking and the calendar move. No request
of ours nests deeper than a few levels, so a body deeper than MAX_DEPTH is refused before it
is parsed, by a scan that does not recurse. Strings in the parsed body are held to the
product's text rule (no NUL or other control character, trainerhub.core.validation), so a
JSON value that no serializer field checks (custom-field answers, a dict) cannot carry a NUL
to PostgreSQL either.
"""

from __future__ import annotations

import codecs
import json
import re
from typing import Any

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from trainerhub.core.validation import CONTROL_MESSAGE, has_control_characters

MAX_DEPTH = 32
TOO_DEEP = f"The JSON body is nested too deeply (more than {MAX_DEPTH} levels)."
NOT_JSON = "The body is not valid JSON."
# A string (escapes included) or a bracket: strings are skipped whole, so a "[" inside one
# does not count.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


class BadJson(ValueError):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def nesting_depth(text: str) -> int:
    depth = deepest = 0
    for match in _TOKENS.finditer(text):
        piece = match.group()
        if piece in ("[", "{"):
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_DEPTH:  # no need to read further
                return deepest
        elif piece in ("]", "}"):
            depth -= 1
    return deepest


def _holds_control(value: Any) -> bool:
    # Iterative, like the depth scan.
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if has_control_characters(item):
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def _check_text(value: Any) -> None:
    """Refuse a control character anywhere, naming the top-level field that holds it."""
    fields = value.items() if isinstance(value, dict) else [("non_field_errors", value)]
    for key, item in fields:
        if _holds_control(key):
            raise BadJson(CONTROL_MESSAGE, field="non_field_errors")
        if _holds_control(item):
            raise BadJson(CONTROL_MESSAGE, field=str(key))


class JsonObject(dict[str, Any]):
    """An object of a request body as the JSON parser read it: its values have JSON's own
    types, which the serializers hold them to (core/api.py, install_strict_input), nested
    serializers included."""


def loads(text: str | bytes) -> Any:
    """json.loads with the depth limit and the text rule; BadJson says what is wrong."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BadJson(NOT_JSON) from exc
    if nesting_depth(text) > MAX_DEPTH:
        raise BadJson(TOO_DEEP)
    try:
        value = json.loads(text, object_pairs_hook=JsonObject)
    except (ValueError, RecursionError) as exc:
        raise BadJson(NOT_JSON) from exc
    _check_text(value)
    return value


class LimitedJSONParser(JSONParser):
    """DRF's JSON parser (the API's default, settings.REST_FRAMEWORK) through `loads`."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.getreader(encoding)(stream).read()
        except (UnicodeDecodeError, LookupError) as exc:
            raise ParseError(NOT_JSON) from exc
        try:
            value = loads(text)
        except BadJson as exc:
            if exc.field is not None:
                # A field message, like the serializer's own (400 {"first_name": [...]}).
                raise ParseError({exc.field: [str(exc)]}) from exc
            raise ParseError(str(exc)) from exc
        return value
