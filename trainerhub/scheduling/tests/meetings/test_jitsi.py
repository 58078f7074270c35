"""Jitsi Meet: a room of its own for each booking, written in the booking's transaction,
unguessable, on the configured server; a group session's attendees share theirs; a fixed
link is the service's own."""

from __future__ import annotations

import re

import pytest

from trainerhub.core.errors import Conflict
from trainerhub.core.tests import factories
from trainerhub.scheduling import services
from trainerhub.scheduling.meetings.models import MeetingTask
from trainerhub.scheduling.models import Booking
from trainerhub.scheduling.tests.meetings.conftest import online_service
from trainerhub.scheduling.tests.meetings.test_zoom import book

pytestmark = pytest.mark.django_db
ROOM = re.compile(r"^https://meet\.jit\.si/TrainerHub-[A-Za-z0-9_-]{32}$")


def test_each_booking_gets_its_own_unguessable_room_at_once(alice, jitsi_service):
    rooms = [
        book(jitsi_service, factories.local_at(alice, day, "10:00"), f"Client{day}").meeting_url
        for day in range(1, 9)
    ]
    assert all(ROOM.match(url) for url in rooms), rooms
    assert len(set(rooms)) == len(rooms)
    # 32 characters of token_urlsafe: 192 random bits, over 160 even without case.
    # (The token itself may hold "-": take everything after the room's prefix.)
    tokens = {url.split("/TrainerHub-", 1)[1].lower() for url in rooms}
    assert len(tokens) == len(rooms)
    # Stored with the booking, in its transaction; nothing for the worker.
    stored = set(Booking.objects.values_list("meeting_url", flat=True))
    assert stored == set(rooms)
    assert not MeetingTask.objects.exists()


def test_the_server_comes_from_the_settings(alice, jitsi_service, settings):
    settings.JITSI_BASE_URL = "https://jitsi.example.org"
    booking = book(jitsi_service, factories.local_at(alice, 2, "10:00"))
    assert booking.meeting_url.startswith("https://jitsi.example.org/TrainerHub-")


def test_a_refused_booking_leaves_no_room(alice, jitsi_service):
    start = factories.local_at(alice, 2, "10:00")
    book(jitsi_service, start, "Carol")
    with pytest.raises(Conflict, match="taken"):
        book(jitsi_service, start, "Dave")
    assert Booking.objects.count() == 1


def test_a_moved_booking_keeps_its_room(alice, jitsi_service):
    booking = book(jitsi_service, factories.local_at(alice, 2, "10:00"))
    room = booking.meeting_url
    services.booking_reschedule(
        booking=booking, start=factories.local_at(alice, 3, "11:00"), actor="trainer"
    )
    booking.refresh_from_db()
    assert booking.meeting_url == room


def test_a_group_session_is_one_room_and_an_attendee_moved_out_gets_another(alice, hours):
    group = online_service(alice, "jitsi", name="Online yoga", capacity=4)
    start = factories.local_at(alice, 2, "10:00")
    first, second = book(group, start, "Carol"), book(group, start, "Dave")
    assert first.meeting_url == second.meeting_url
    services.booking_reschedule(
        booking=second, start=factories.local_at(alice, 3, "10:00"), actor="trainer"
    )
    second.refresh_from_db()
    first.refresh_from_db()
    assert ROOM.match(second.meeting_url) and second.meeting_url != first.meeting_url
    # Moved back: into the room of the session it joins.
    services.booking_reschedule(booking=second, start=start, actor="trainer")
    second.refresh_from_db()
    assert second.meeting_url == first.meeting_url


def test_a_fixed_link_is_the_services_and_in_person_has_none(alice, hours):
    fixed = online_service(alice, "fixed", video_url="https://meet.example.com/abc-defg-hij")
    studio = factories.make_service(alice, name="Studio", location="Studio 1")
    online = book(fixed, factories.local_at(alice, 2, "10:00"), "Carol")
    in_person = book(studio, factories.local_at(alice, 2, "12:00"), "Dave")
    assert (online.meeting_provider, online.meeting_url) == (
        "fixed",
        "https://meet.example.com/abc-defg-hij",
    )
    assert (in_person.meeting_provider, in_person.meeting_url) == ("", "")


def test_a_whole_group_session_moved_keeps_its_room(alice, hours):
    group = online_service(alice, "jitsi", name="Online yoga", capacity=4)
    start = factories.local_at(alice, 2, "10:00")
    first = book(group, start, "Carol")
    book(group, start, "Dave")
    services.session_move(
        session=first.session, start=factories.local_at(alice, 3, "18:00"), actor="trainer"
    )
    rooms = set(Booking.objects.values_list("meeting_url", flat=True))
    assert rooms == {first.meeting_url}
