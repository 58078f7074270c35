"""A fast JSON renderer for large API answers (orjson, in C), byte-compatible in meaning
with DRF's JSONRenderer: compact, UTF-8, and whatever orjson cannot encode (Decimal, lazy
translations, UUIDs, querysets) goes through DRF's own encoder."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

_fallback = JSONEncoder().default


class FastJSONRenderer(JSONRenderer):
    """DRF's JSON renderer through orjson: used where answers are large (slot listings)."""

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        if data is None:
            return b""
        if accepted_media_type and "indent" in accepted_media_type:
            # An explicit indent request keeps DRF's pretty printing.
            return super().render(data, accepted_media_type, renderer_context)
        return orjson.dumps(data, default=_fallback, option=orjson.OPT_NON_STR_KEYS)
