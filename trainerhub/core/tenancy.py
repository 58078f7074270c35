"""One mechanism that scopes every query of the product to the signed-in trainer.

Each row of the product belongs to one trainer (`TrainerOwned`). While a tenant is active
(set for every request by `TenantMiddleware`, for every API call by the API's authentication,
and explicitly with `tenant(...)` by the public pages), `Model.objects` only ever sees that
trainer's rows. A view that looks up another trainer's id therefore finds nothing and answers
404 without having to remember a filter. Code that must see every trainer's rows (the worker,
the admin, management commands) says so by using `Model.all_objects`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.http import HttpRequest, HttpResponse

if TYPE_CHECKING:
    from collections.abc import Callable

_current_trainer_id: ContextVar[int | None] = ContextVar("current_trainer_id", default=None)


def current_trainer_id() -> int | None:
    return _current_trainer_id.get()


def activate(trainer_id: int | None) -> object:
    return _current_trainer_id.set(trainer_id)


def deactivate(token: object) -> None:
    _current_trainer_id.reset(token)  # type: ignore[arg-type]


@contextmanager
def tenant(trainer_or_id: object) -> Iterator[None]:
    """Scope the queries inside the block to one trainer (e.g. a public booking page)."""
    trainer_id = getattr(trainer_or_id, "pk", trainer_or_id)
    token = activate(trainer_id)  # type: ignore[arg-type]
    try:
        yield
    finally:
        deactivate(token)


class TenantQuerySet(models.QuerySet):
    def for_trainer(self, trainer: object) -> TenantQuerySet:
        return self.filter(trainer_id=getattr(trainer, "pk", trainer))


class TenantManager(models.Manager.from_queryset(TenantQuerySet)):  # type: ignore[misc]
    """The default manager of every trainer-owned model: scoped while a tenant is active."""

    def get_queryset(self) -> TenantQuerySet:
        qs = super().get_queryset()
        trainer_id = _current_trainer_id.get()
        if trainer_id is not None:
            qs = qs.filter(trainer_id=trainer_id)
        return qs


class TrainerOwned(models.Model):
    """Abstract base of every row that belongs to one trainer."""

    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", editable=False
    )

    objects = TenantManager()
    all_objects = models.Manager.from_queryset(TenantQuerySet)()

    class Meta:
        abstract = True


class TenantMiddleware:
    """Activates the signed-in trainer as the tenant for the whole request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        trainer_id = None
        if user is not None and user.is_authenticated and getattr(user, "is_trainer", False):
            trainer_id = user.pk
        if request.path.startswith("/admin/"):
            trainer_id = None  # staff manage every account through all_objects
        token = activate(trainer_id)
        try:
            return self.get_response(request)
        finally:
            deactivate(token)
