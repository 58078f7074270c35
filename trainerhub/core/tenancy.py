"""Tenancy: every row belongs to one trainer, and every read names the trainer.

There is no ambient "current tenant". A context variable that scopes `Model.objects` fails
open wherever it is not set (the worker, commands, a thread, a queryset built early, a related
manager), so we do what healthchecks and Zulip do instead: the trainer is an argument of every
selector and access function (`booking_get_for_trainer(trainer=..., pk=...)`), and views and
API modules never touch the ORM themselves (`core/tests/test_layers.py` proves it). A lookup of
another trainer's id simply matches no row, which the access functions answer with 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, TypeVar, Union

from django.conf import settings
from django.db import models

if TYPE_CHECKING:
    from trainerhub.accounts.models import User


class HasPk(Protocol):
    pk: int


# A trainer given as the user row or as its id: the one type every selector takes.
TrainerRef = Union["User", HasPk, int]
# Any other row a filter names (a client, a service), given as itself or as its id.
RowRef = HasPk | int

_Q = TypeVar("_Q", bound="TenantQuerySet")


def trainer_id_of(trainer: TrainerRef) -> int:
    """The id of a trainer given as a row or an id; refuses anything else loudly."""
    return _pk(trainer, "a trainer")


def id_of(row: RowRef) -> int:
    """The id of a row given as itself or as its id; refuses anything else loudly."""
    return _pk(row, "a row")


def _pk(value: object, what: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    pk = getattr(value, "pk", None)
    if not isinstance(pk, int):
        raise TypeError(f"expected {what} or its id, got {value!r}")
    return pk


class TenantQuerySet(models.QuerySet):
    def for_trainer(self: _Q, trainer: TrainerRef) -> _Q:
        return self.filter(trainer_id=trainer_id_of(trainer))


class TrainerOwned(models.Model):
    """Abstract base of every row that belongs to one trainer."""

    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", editable=False
    )

    objects = models.Manager.from_queryset(TenantQuerySet)()

    class Meta:
        abstract = True
