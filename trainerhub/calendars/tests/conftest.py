from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from trainerhub.calendars.tests import caldav_server
from trainerhub.calendars.tests.server import CalendarHost, serving

ICS = Path(__file__).parent / "ics"


@pytest.fixture
def calendar_host(settings) -> Iterator[CalendarHost]:
    """A calendar host on 127.0.0.1 (a port of its own); private addresses allowed for it."""
    settings.CALENDAR_ALLOW_PRIVATE = True
    settings.CALENDAR_FETCH_TIMEOUT = 1
    with serving() as host:
        yield host


@pytest.fixture
def caldav_host(settings, tmp_path) -> Iterator[caldav_server.CalDavServer]:
    """A real CalDAV server (Radicale) on 127.0.0.1 with htpasswd authentication."""
    settings.CALENDAR_ALLOW_PRIVATE = True
    settings.CALENDAR_FETCH_TIMEOUT = 2
    with caldav_server.running(tmp_path) as server:
        yield server
