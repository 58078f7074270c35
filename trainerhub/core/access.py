"""Fetching one row by an id that came from outside: anything that is not one of the rows the
caller may see (another trainer's, a malformed or out-of-range id) is the same 404.

Every `*_get_for_trainer` / `*_get_for_client` access function of every app goes through
`get_owned_or_404` (or `row_or_404` for a queryset already narrowed to what the caller may
see), so an id is validated once, the same way, on every page and endpoint.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404

from trainerhub.core.tenancy import TrainerRef, trainer_id_of

# The largest id a bigint column holds; larger numbers would be a database error, not a 404.
MAX_PK = 2**63 - 1

_M = TypeVar("_M", bound=Model)


def pk_or_404(raw: Any) -> int:
    """An id from a URL, a form or a JSON body as an int, or 404 when it cannot be a row's."""
    if isinstance(raw, bool):
        raise Http404
    try:
        pk = int(raw)
    except (TypeError, ValueError, OverflowError):
        raise Http404 from None
    if not 0 < pk <= MAX_PK:
        raise Http404
    return pk


def row_or_404(queryset: QuerySet[_M], pk: Any) -> _M:
    """The row of `queryset` with this id, else 404."""
    row = queryset.filter(pk=pk_or_404(pk)).first()
    if row is None:
        raise Http404
    return row


def get_owned_or_404(
    source: type[_M] | QuerySet[_M], *, trainer: TrainerRef, pk: Any, **lookup: Any
) -> _M:
    """The trainer's row with this id (of a model, or of a queryset that selects related rows
    or annotates), further narrowed by `lookup` (e.g. `client=...`); else 404."""
    queryset = source if isinstance(source, QuerySet) else source._default_manager.all()
    return row_or_404(queryset.filter(trainer_id=trainer_id_of(trainer), **lookup), pk)
