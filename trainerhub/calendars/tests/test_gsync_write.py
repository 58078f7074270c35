"""Bookings written into the connected calendar through the outbox: created / moved /
cancelled become insert / patch / delete with our booking id in the event's extended
property; 429 and 500 retried with backoff, every attempt logged; a 401 refreshes once, then
"reconnect needed" and the writes wait; a change made over there (moved, deleted) is reported
to the trainer, never applied to the booking. Against the local stand-in."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from trainerhub.calendars import push, sync
from trainerhub.calendars.models import CalendarPush, Connection, SyncedEvent
from trainerhub.calendars.tests.sync_support import (
    connect_directly,
    primary_calendar,
    provider_fixture,  # noqa: F401 - the `provider` fixture
)
from trainerhub.core.tests.factories import local_at, make_booking, make_client, make_service
from trainerhub.scheduling import services as scheduling
from trainerhub.scheduling.models import ExternalBusy

pytestmark = pytest.mark.django_db
BOTH = pytest.mark.parametrize("name", ["google", "microsoft"])


@pytest.fixture
def booked(alice):
    """alice's client Carol, a 60-minute session two days ahead at 10:00."""
    service = make_service(alice, name="Personal training", duration_minutes=60)
    carol = make_client(alice, "Carol", last_name="Jones")
    return lambda: make_booking(carol, local_at(alice, 2, "10:00"), service=service)


def _later(minutes: float) -> datetime:
    return datetime.now(UTC) + timedelta(minutes=minutes)


@BOTH
def test_created_moved_cancelled_become_insert_patch_delete(alice, provider, booked, name):
    cid = primary_calendar(provider, name)
    connect_directly(alice, provider, name)
    booking = booked()
    assert push.push_due() == 1
    (event,) = provider.calendars[cid].events.values()
    assert event.booking == str(booking.pk) and event.summary == "Personal training: Carol Jones"
    assert (event.start, event.end) == (booking.start, booking.end)
    (insert,) = provider.calls("POST", "/events")
    body = json.loads(insert["body"])
    if name == "google":
        assert body["extendedProperties"] == {"private": {"trainerhubBooking": str(booking.pk)}}
    else:
        assert body["singleValueExtendedProperties"][0]["value"] == str(booking.pk)
    link = SyncedEvent.objects.get(booking_id=booking.pk)
    assert link.remote_id == event.id

    new_start = local_at(alice, 3, "15:00")
    scheduling.booking_reschedule(
        booking=booking, start=new_start, actor="trainer", override_rules=True
    )
    assert push.push_due() == 1
    assert provider.calls("PATCH", event.id)
    assert (event.start, event.end) == (new_start, new_start + timedelta(hours=1))

    # Read back, our own event is never a busy time.
    assert sync.connection_sync(connection=Connection.objects.get())
    assert not ExternalBusy.objects.exists()
    assert SyncedEvent.objects.get().change == ""

    booking.refresh_from_db()
    scheduling.booking_cancel(booking=booking, actor="trainer")
    assert push.push_due() == 1
    assert event.deleted and not SyncedEvent.objects.exists()
    assert list(CalendarPush.objects.values_list("op", "status")) == [
        ("upsert", "done"),
        ("upsert", "done"),
        ("delete", "done"),
    ]


def test_429_and_500_are_retried_with_backoff_and_every_attempt_is_logged(alice, provider, booked):
    cid = primary_calendar(provider, "google")
    connect_directly(alice, provider, "google")
    provider.fail("POST", "/events", 500, 429)
    booked()
    row = CalendarPush.objects.get()
    assert push.push_due() == 0
    row.refresh_from_db()
    assert row.status == "pending" and row.attempts == 1
    # The first retry a minute later; not before.
    assert push.push_due(now=_later(0.5)) == 0 and len(provider.calls("POST", "/events")) == 1
    assert push.push_due(now=_later(1.1)) == 0  # the 429 now
    row.refresh_from_db()
    assert row.next_attempt_at > _later(2.5)  # two minutes after the second failure
    assert push.push_due(now=_later(4)) == 1
    row.refresh_from_db()
    assert row.status == "done" and row.attempts == 3
    assert [e["status_code"] for e in row.log] == [500, 429, 200]
    assert row.log[-1]["result"] == "created"
    assert len(provider.calendars[cid].events) == 1


def test_the_writes_of_one_booking_go_out_in_order(alice, provider, booked):
    cid = primary_calendar(provider, "google")
    connect_directly(alice, provider, "google")
    provider.fail("POST", "/events", 503)
    booking = booked()
    scheduling.booking_reschedule(
        booking=booking, start=local_at(alice, 4, "09:00"), actor="trainer", override_rules=True
    )
    assert push.push_due() == 0  # the insert failed: the move waits for it
    assert not provider.calls("PATCH", "/events")
    assert push.push_due(now=_later(2)) == 2
    (event,) = provider.calendars[cid].events.values()
    assert event.start == local_at(alice, 4, "09:00")


def test_a_refusal_that_will_not_pass_gives_up_at_once_and_is_shown(
    alice, alice_web, provider, booked
):
    primary_calendar(provider, "google")
    row = connect_directly(alice, provider, "google")
    provider.fail("POST", "/events", 400)
    booked()
    assert push.push_due() == 0
    assert CalendarPush.objects.get().status == "failed"
    page = alice_web.get(f"/calendars/accounts/{row.pk}/").content.decode()
    assert "Bookings that could not be written" in page
    assert "Google Calendar answered HTTP 400." in page


def test_retries_stop_24_hours_after_the_change(alice, provider, booked):
    primary_calendar(provider, "google")
    connect_directly(alice, provider, "google")
    provider.fail("POST", "/events", *[500] * 30)
    booked()
    push.push_due()
    assert push.push_due(now=_later(24 * 60 + 1)) == 0
    assert CalendarPush.objects.get().status == "failed"


@BOTH
def test_a_second_401_asks_to_reconnect_and_the_write_waits_for_it(
    alice, alice_web, provider, booked, name
):
    cid = primary_calendar(provider, name)
    connect_directly(alice, provider, name)
    provider.refresh_tokens.clear()
    provider.expire_access_tokens()
    booked()
    assert push.push_due() == 0
    conn = Connection.objects.get()
    assert conn.status == Connection.Status.RECONNECT
    row = CalendarPush.objects.get()
    assert row.status == "pending" and row.log[0]["status_code"] == 401
    assert push.push_due(now=_later(120)) == 0  # waits, untried
    assert CalendarPush.objects.get().attempts == 1
    # Shown on the settings page and the dashboard, with a button to reconnect.
    page = alice_web.get("/calendars/").content.decode()
    assert "Reconnect needed:" in page and f"/calendars/connect/{name}/" in page
    assert "reconnect needed" in alice_web.get("/").content.decode()
    # Connecting again sends it.
    connect_directly(alice, provider, name)
    assert Connection.objects.get().status == Connection.Status.ACTIVE
    assert push.push_due() == 1
    assert len(provider.calendars[cid].events) == 1


@BOTH
def test_moved_or_deleted_over_there_is_reported_and_the_booking_stands(
    alice, alice_web, provider, booked, name
):
    cid = primary_calendar(provider, name)
    conn = connect_directly(alice, provider, name)
    booking = booked()
    push.push_due()
    (event,) = provider.calendars[cid].events.values()
    moved = local_at(alice, 2, "18:00")
    provider.change(cid, event.id, start=moved, end=moved + timedelta(hours=1))
    assert sync.connection_sync(connection=conn)
    link = SyncedEvent.objects.get()
    assert (link.change, link.remote_start) == ("moved", moved)
    booking.refresh_from_db()
    assert booking.start == local_at(alice, 2, "10:00")  # never applied back
    page = alice_web.get("/calendars/").content.decode()
    assert "was moved in" in page and 'data-change="moved"' in page
    assert "moved or deleted in your calendar" in alice_web.get("/").content.decode()
    assert not ExternalBusy.objects.exists()  # still ours, never busy

    provider.change(cid, event.id, deleted=True)
    assert sync.connection_sync(connection=conn)
    assert SyncedEvent.objects.get().change == "deleted"
    assert "was deleted in" in alice_web.get("/calendars/").content.decode()
    alice_web.post(f"/calendars/changes/{link.pk}/dismiss/")
    assert 'data-change="deleted"' not in alice_web.get("/calendars/").content.decode()


def test_a_full_read_notices_our_event_deleted(alice, provider, booked):
    cid = primary_calendar(provider, "google")
    conn = connect_directly(alice, provider, "google")
    booked()
    push.push_due()
    (event,) = provider.calendars[cid].events.values()
    provider.change(cid, event.id, deleted=True)
    provider.expire_sync_tokens()  # a full read lists only what exists
    assert sync.connection_sync(connection=conn)
    assert SyncedEvent.objects.get().change == "deleted"


@pytest.fixture
def alice_web(client, alice):
    client.force_login(alice)
    return client


def test_erasing_the_client_scrubs_the_titles_of_the_calendar_writes(alice, provider, booked):
    from trainerhub.calendars.privacy import ERASED_TITLE
    from trainerhub.clients.services import client_erase

    primary_calendar(provider, "google")
    connect_directly(alice, provider, "google")
    booking = booked()
    push.push_due()  # written: its title stays in the log, scrubbed
    provider.fail("POST", "/events", 500)
    scheduling.booking_reschedule(
        booking=booking, start=local_at(alice, 5, "10:00"), actor="trainer", override_rules=True
    )
    client = booking.client
    print("BEFORE", list(CalendarPush.objects.values_list("op", "status", "summary")))
    client_erase(client=client, confirm=client.full_name)  # cancels the booking too
    rows = CalendarPush.objects.order_by("id")
    print("AFTER", list(rows.values_list("op", "status", "summary", "client_id")))
    assert [(r.op, r.summary) for r in rows] == [
        ("upsert", ERASED_TITLE),
        ("upsert", ERASED_TITLE),
        ("delete", ERASED_TITLE),
    ]
    # The writes still go: the event is moved, then deleted from the calendar.
    assert push.push_due(now=_later(2)) == 2
    (event,) = provider.calendars[provider.account].events.values()
    assert event.deleted
