"""The three views the assistant's model may read (VIEWS) and their description for its
prompt (DOCS). Apart from guard.py, which parses with sqlglot (13 MB of modules): the prompt
and the pages need the catalogue, and only a question for the model needs the parser.
"""

from __future__ import annotations

from trainerhub.clients.models import Client
from trainerhub.scheduling.models import Booking, Service

_BOOKING_COLUMNS = [
    "id",
    "client_id",
    "service_id",
    "start_at",
    "end_at",
    "status",
    "price",
    "currency",
    "late_cancellation",
    "cancellation_reason",
    "cancelled_by",
    "created_at",
]
# name -> (columns, source table, the source's columns in the same order, extra condition)
VIEWS: dict[str, tuple[tuple[str, ...], str, tuple[str, ...], str]] = {
    name: (tuple(columns), table, tuple(sources or columns), extra)
    for name, columns, table, sources, extra in (
        (
            "clients",
            ["id", "first_name", "last_name", "status", "created_at"],
            Client._meta.db_table,
            None,
            " AND erased_at IS NULL",
        ),
        (
            "services",
            ["id", "name", "duration_minutes", "price", "currency", "capacity", "is_active"],
            Service._meta.db_table,
            None,
            "",
        ),
        (
            "bookings",
            _BOOKING_COLUMNS,
            Booking._meta.db_table,
            [{"start_at": '"start"', "end_at": '"end"'}.get(c, c) for c in _BOOKING_COLUMNS],
            "",
        ),
    )
}
DOCS = """Views (all of one trainer's practice; times are UTC timestamps):
clients(id, first_name, last_name, status: active|inactive|archived, created_at)
services(id, name, duration_minutes, price, currency, capacity, is_active)
bookings(id, client_id -> clients.id, service_id -> services.id, start_at, end_at,
  status: pending|confirmed|completed|cancelled|declined|no_show, price, currency,
  late_cancellation (boolean), cancellation_reason, cancelled_by: trainer|client, created_at)
A session attended is a booking with status 'completed'."""
