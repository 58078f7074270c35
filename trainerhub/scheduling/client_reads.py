"""The reads of the trainer's clients that scheduling needs, supplied by the clients app.

The CRM builds on scheduling (its figures, timeline, export and erase read bookings), so
scheduling never imports it back: that would be a cycle, and the import contract in
pyproject.toml refuses it. The booking forms, the booking API, the client picker and the
booking services still choose among the trainer's clients, so the clients app hands its
selectors over when it loads (`ClientsConfig.ready`), the way notifications subscribes to
booking events. Type-only imports below do not count as imports at runtime.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from trainerhub.clients.models import Client
    from trainerhub.core.tenancy import TrainerRef


class ClientReads(Protocol):
    """What `trainerhub.clients.selectors` answers for scheduling."""

    def clients_for_trainer(
        self, *, trainer: TrainerRef, bookable_only: bool = ...
    ) -> QuerySet[Client]: ...

    def clients_search(self, *, trainer: TrainerRef, query: str = ...) -> QuerySet[Client]: ...

    def client_is_bookable(self, client: Client) -> bool: ...


_source: list[ClientReads] = []


def provide(source: ClientReads) -> None:
    _source[:] = [source]


def client_reads() -> ClientReads:
    if not _source:
        raise ImproperlyConfigured("trainerhub.clients is not installed: no client reads.")
    return _source[0]
