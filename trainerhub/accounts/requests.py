"""Request types that say what the middleware and the guards already made true.

A page under `trainer_required` or an endpoint under `IsTrainer` never sees an anonymous user,
and every page request carries django-htmx's `request.htmx`; annotating a view's request with
these classes says so to the type checker (they add nothing at runtime: Django and DRF build
the requests as usual).
"""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails
from rest_framework.request import Request

from trainerhub.accounts.models import User


class HtmxHttpRequest(HttpRequest):
    """A page request after django-htmx's middleware (every page request)."""

    htmx: HtmxDetails


class SignedInHttpRequest(HtmxHttpRequest):
    """A page request behind a sign-in guard (a client's pages: `client_required`)."""

    user: User


class TrainerHttpRequest(SignedInHttpRequest):
    """A page request that passed `trainer_required`."""


class TrainerRequest(Request):
    """An API request that passed `IsTrainer` (or another check of a signed-in account)."""

    user: User
