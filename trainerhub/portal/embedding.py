"""The booking pages inside a trainer's own website (an iframe, or the overlay of
static/js/embed.js): framable only when asked for with ?embed=1, the rest of the product
never (X-Frame-Options DENY stays the default for every other page).

Inside another site's frame the browser sends none of our cookies (SameSite=Lax), so the
anonymous booking form cannot carry a CSRF cookie there. A forged cross-site POST carries
none either: it books as an anonymous visitor with the data its author typed, which that
author could send us directly. So the CSRF check is kept for anyone signed in and skipped
only for an anonymous embedded visitor; the form's signed `started` token still applies.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.views.decorators.csrf import csrf_exempt

EMBED_PARAM = "embed"
# Merged into the site's Content-Security-Policy (config/settings.py) by django-csp, which
# otherwise refuses every frame (frame-ancestors 'none').
FRAMABLE_BY_ANY_SITE = {"frame-ancestors": ["*"]}


def is_embedded(request: HttpRequest) -> bool:
    return (request.GET.get(EMBED_PARAM) or request.POST.get(EMBED_PARAM)) == "1"


def embed_param(request: HttpRequest) -> str | None:
    """What links of an embedded page carry to stay embedded (None: nothing)."""
    return "1" if is_embedded(request) else None


def _csrf_failure(request: HttpRequest) -> HttpResponse | None:
    # The middleware's own check, run by hand for the requests that still need it.
    middleware = CsrfViewMiddleware(lambda r: HttpResponse())
    # The callback is only read for its csrf_exempt mark: a plain one has none.
    return middleware.process_view(request, _unmarked, (), {})


def _unmarked(request: HttpRequest) -> HttpResponse:
    return HttpResponse()


def embeddable(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A booking page that may be framed by any site when embedded, and by none otherwise."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        embedded = is_embedded(request)
        if request.method == "POST" and not (embedded and not request.user.is_authenticated):
            refused = _csrf_failure(request)
            if refused is not None:
                return refused
        response = view(request, *args, **kwargs)
        if embedded:
            response.xframe_options_exempt = True
            response._csp_replace = FRAMABLE_BY_ANY_SITE  # type: ignore[attr-defined]
        return response

    return wrapper
