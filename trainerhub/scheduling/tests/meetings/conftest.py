"""Meetings fixtures: alice works every day, a Zoom stand-in (`zoom`) configured through the
settings' base URLs, and online services of each kind."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone

from trainerhub.core.tests import factories
from trainerhub.notifications.tests.conftest import smtp  # noqa: F401  (a real SMTP server)
from trainerhub.scheduling.meetings import tasks
from trainerhub.scheduling.models import Service
from trainerhub.scheduling.tests.meetings import zoom_server


@pytest.fixture
def zoom(settings) -> Iterator[zoom_server.Zoom]:
    stand_in, server = zoom_server.start()
    settings.ZOOM_ACCOUNT_ID = zoom_server.ACCOUNT_ID
    settings.ZOOM_CLIENT_ID = zoom_server.CLIENT_ID
    settings.ZOOM_CLIENT_SECRET = zoom_server.CLIENT_SECRET
    settings.ZOOM_API_BASE = stand_in.url
    settings.ZOOM_OAUTH_BASE = stand_in.url
    yield stand_in
    server.shutdown()
    server.server_close()


@pytest.fixture
def hours(alice) -> None:
    factories.open_every_day(alice, "06:00", "22:00")


def online_service(trainer, kind: str, **fields) -> Service:
    return factories.make_service(
        trainer,
        name=fields.pop("name", f"Online {kind}"),
        duration_minutes=45,
        is_online=True,
        meeting_kind=kind,
        **fields,
    )


@pytest.fixture
def zoom_service(alice, hours, zoom) -> Service:
    return online_service(alice, "zoom")


@pytest.fixture
def jitsi_service(alice, hours) -> Service:
    return online_service(alice, "jitsi")


def run_worker(minutes: float = 0) -> int:
    """One pass of the meetings job, `minutes` from now."""
    return tasks.run_due(now=timezone.now() + timedelta(minutes=minutes))
