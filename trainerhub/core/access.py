"""Fetching one row by an id that came from outside: anything that is not one of the rows the
caller may see (another trainer's, a malformed or out-of-range id) is the same 404."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

# The largest id a bigint column holds; larger numbers would be a database error, not a 404.
MAX_PK = 2**63 - 1


def row_or_404(queryset: QuerySet, pk: Any) -> Any:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < pk <= MAX_PK:
        raise Http404
    row = queryset.filter(pk=pk).first()
    if row is None:
        raise Http404
    return row
