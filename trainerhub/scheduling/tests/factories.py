"""The scheduling tests' factories are the shared ones (`core/tests/factories.py`): every
row through the product's services."""

from __future__ import annotations

from trainerhub.core.tests.factories import (
    local_at,
    make_booking,
    make_client,
    make_service,
    open_every_day,
)

__all__ = ["local_at", "make_booking", "make_client", "make_service", "open_every_day"]
