"""Gzip for large JSON answers only (a 60-day slot listing is ~100 KB and shrinks ~10x).

HTML pages are left alone on purpose: they carry CSRF tokens and personal text, which is
what BREACH-style length attacks need; API JSON carries no secret the attacker does not
already send. Small answers are not worth the CPU."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string

MIN_BYTES = 2048


class JsonGzipMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.streaming
            or response.has_header("Content-Encoding")
            or not response.get("Content-Type", "").startswith("application/json")
            or len(response.content) < MIN_BYTES
        ):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        if "gzip" not in request.META.get("HTTP_ACCEPT_ENCODING", "").lower():
            return response
        compressed = compress_string(response.content)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response["Content-Length"] = str(len(compressed))
        response["Content-Encoding"] = "gzip"
        if response.has_header("ETag"):
            response["ETag"] = response["ETag"].removesuffix('"') + ';gzip"'
        return response
