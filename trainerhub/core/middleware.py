"""Request-wide guarantees that no single view should have to remember."""

from __future__ import annotations

from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.urls import Resolver404, resolve

from trainerhub.core.validation import has_control_characters

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
CONTROL_IN_ADDRESS = "The address holds a control character (such as NUL); remove it."


class AtomicWritesMiddleware:
    """Every write request (POST, PUT, PATCH, DELETE) runs in one transaction that is rolled
    back when the answer is a server error, so "500, but the row was committed" cannot happen:
    a service's commit and a failure afterwards (rendering, a read-back) are one unit.

    Why this and not ATOMIC_REQUESTS:
    - ATOMIC_REQUESTS wraps GETs too. On SQLite every transaction begins IMMEDIATE (settings),
      so every page view would take the database's write lock and readers would queue behind
      each other; here only writers do, as they already must.
    - The services' own `transaction.atomic` blocks become savepoints inside this one: their
      row locks, the PostgreSQL advisory locks (core.locks) and SQLite's write lock are held
      until the request's commit, which is stricter, never weaker. `transaction.on_commit`
      side effects (outbox rows are written in the transaction; their delivery is queued on
      commit) run when this transaction commits, and never for a rolled-back 500.
    - Only a 5xx rolls back. A refused request (4xx) keeps what it wrote on purpose: the
      sign-in lockout records each failure and answers 401/429, and a service that refuses
      has already undone its own partial writes by raising inside its own atomic block.

    A view that must commit in steps (a long import) opts out with Django's own
    `transaction.non_atomic_requests` decorator.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in SAFE_METHODS or _opted_out(request):
            return self.get_response(request)
        with transaction.atomic():
            # Inner middleware and the view have turned any exception into a response by now.
            response = self.get_response(request)
            if response.status_code >= 500:
                transaction.set_rollback(True)
        return response


def _opted_out(request: HttpRequest) -> bool:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return DEFAULT_DB_ALIAS in getattr(match.func, "_non_atomic_requests", set())


class RefuseControlCharactersMiddleware:
    """400 for a NUL or other control character in the path or a query parameter, before any
    view runs: tokens, codes, ids and search words are single-line text, and PostgreSQL
    cannot even compare a NUL (DataError, a 500) in a manage token, a calendar feed token, a
    join code, ?search= or ?tag=. Form and JSON bodies get the same rule field by field
    (trainerhub.core.validation.install_text_rule, trainerhub.core.jsonbody)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_control(request):
            return _refusal(request)
        return self.get_response(request)


def _has_control(request: HttpRequest) -> bool:
    if has_control_characters(request.path_info, multiline=False):
        return True
    return any(
        has_control_characters(part, multiline=False)
        for key, values in request.GET.lists()
        for part in (key, *values)
    )


def _refusal(request: HttpRequest) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        body = {"detail": CONTROL_IN_ADDRESS, "code": "control_characters"}
        return JsonResponse(body, status=400)
    return HttpResponseBadRequest(CONTROL_IN_ADDRESS, content_type="text/plain; charset=utf-8")


# Powerful browser features the product never uses, off for every page and any frame in it.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
        "browsing-topics",
    )
)
# Answers with nothing personal in them, safe for a browser or proxy to keep.
CACHEABLE_PATHS = ("/healthz",)


class SecurityHeadersMiddleware:
    """A Permissions-Policy on every answer, and `Cache-Control: no-store` on every page and
    API answer that has not chosen its own caching: pages and API answers carry personal data
    (a client's bookings, notes, a signed-in name) and every page carries the visitor's CSRF
    token, so no browser history, back button after sign-out or shared proxy may keep them.

    Static files never get here (WhiteNoise answers them before this middleware, with their
    long cache headers), nor does anything that set Cache-Control itself (a trainer's public
    logo, /healthz's never_cache)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if "Cache-Control" not in response and not request.path_info.startswith(CACHEABLE_PATHS):
            response["Cache-Control"] = "no-store"
        return response


class ApiJsonNotFoundMiddleware:
    """An /api/ address that matches no route (a text id where a number belongs, a typo) is
    answered in the API's JSON, {detail, code}, as the OpenAPI document says, not with the
    HTML 404 page meant for people."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 404
            and request.path_info.startswith("/api/v1/")
            and response.get("Content-Type", "").startswith("text/html")
        ):
            return JsonResponse({"detail": "Not found.", "code": "not_found"}, status=404)
        return response
