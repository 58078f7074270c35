"""A booking's meeting is the client's data: in their export, gone after an erase (the Zoom
meeting of a cancelled future booking deleted too); the meeting tasks hold none."""

from __future__ import annotations

import pytest

from trainerhub.clients.exporting import client_data_export
from trainerhub.clients.privacy import NO_CLIENT_DATA
from trainerhub.clients.services import client_erase
from trainerhub.core.tests import factories
from trainerhub.scheduling.models import Booking
from trainerhub.scheduling.tests.meetings.conftest import run_worker
from trainerhub.scheduling.tests.meetings.test_zoom import book

pytestmark = pytest.mark.django_db


def test_exported_and_erased_with_the_zoom_meeting_deleted(alice, zoom, zoom_service):
    booking = book(zoom_service, factories.local_at(alice, 3, "10:00"))
    run_worker()
    booking.refresh_from_db()
    link = booking.meeting_url
    exported = str(client_data_export(client=booking.client))
    assert link in exported
    client_erase(client=booking.client, confirm=booking.client.full_name)
    booking.refresh_from_db()
    assert (booking.status, booking.meeting_url, booking.meeting_id) == ("cancelled", "", "")
    run_worker()
    assert zoom.meetings == {}
    assert not Booking.objects.filter(meeting_url=link).exists()


def test_the_tasks_are_listed_as_holding_no_client_data():
    assert "scheduling.MeetingTask" in NO_CLIENT_DATA
