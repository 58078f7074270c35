"""Guards for trainer pages: signed in, and a trainer (client accounts never see them)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect

View = Callable[..., HttpResponseBase]


def trainer_required(view: View) -> View:
    """Anonymous visitors go to the sign-in page; a client account gets 404."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not getattr(request.user, "is_trainer", False):
            raise Http404("No trainer page here.")
        return view(request, *args, **kwargs)

    return wrapper


def client_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in with a client account (the portal's and billing's client pages); a trainer
    goes to their dashboard."""

    @login_required(login_url="portal:my_login")
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if getattr(request.user, "is_trainer", False):
            return redirect("dashboard:home")
        if getattr(request.user, "role", None) != "client":
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
