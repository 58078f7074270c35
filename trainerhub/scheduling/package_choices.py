"""The client packages a booking may be paid with, supplied by the packages app.

Packages builds on scheduling (its credits follow the booking events), so scheduling never
imports it back. The booking forms, the calendar panel and the public page still offer the
client's packages that fit a service, so the packages app registers its selector here when it
loads (`PackagesConfig.ready`), the way clients hands over its reads (client_reads.py).
Without the packages app installed there is simply nothing to choose from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trainerhub.clients.models import Client
    from trainerhub.core.tenancy import TrainerRef
    from trainerhub.scheduling.models import Service


@dataclass(frozen=True)
class PackageChoice:
    """One client package that can pay for a session of the service."""

    id: int
    label: str  # "Ten sessions — 4 of 10 left, until 31 Mar 2026"
    sessions_remaining: int


Source = Callable[["Client", "Service"], list[PackageChoice]]
_source: list[Source] = []


def register(source: Source) -> None:
    _source[:] = [source]


def choices_for(client: Client | None, service: Service | None) -> list[PackageChoice]:
    """The client's packages with a credit left that cover the service (none without both)."""
    if client is None or service is None or not _source:
        return []
    return _source[0](client, service)


def choices_for_ids(
    trainer: TrainerRef, client_id: int | None, service: Service | None
) -> list[PackageChoice]:
    """The same, for a client named by id in a form (another trainer's id: nothing)."""
    if client_id is None or service is None or not _source:
        return []
    from trainerhub.scheduling.client_reads import client_reads

    client = client_reads().clients_for_trainer(trainer=trainer).filter(pk=client_id).first()
    return choices_for(client, service)
