"""Zoom meetings through the worker, against a local stand-in reached by the base URLs: made
after the booking (an outage never blocks it), moved on reschedule, deleted on cancel; the
token cached and refreshed on a 401; 429 and 500 retried; nothing secret in the logs."""

from __future__ import annotations

import logging
from datetime import datetime

import pytest
from django.core.cache import cache

from trainerhub.core.tests import factories
from trainerhub.scheduling import services
from trainerhub.scheduling.meetings.models import MeetingTask
from trainerhub.scheduling.models import Booking
from trainerhub.scheduling.tests.meetings.conftest import online_service, run_worker
from trainerhub.scheduling.tests.meetings.zoom_server import CLIENT_SECRET

pytestmark = pytest.mark.django_db


def book(service, start: datetime, first_name: str = "Carol") -> Booking:
    client = factories.make_client(service.trainer, first_name, email=f"{first_name}@example.com")
    return services.booking_create(
        trainer=service.trainer, client=client, service=service, start=start
    )


def zoom_start(iso_z: str) -> datetime:
    return datetime.fromisoformat(iso_z.replace("Z", "+00:00"))


def test_a_booking_is_made_without_waiting_for_zoom_and_the_worker_makes_its_meeting(
    alice, zoom, zoom_service
):
    start = factories.local_at(alice, 2, "10:00")
    booking = book(zoom_service, start)
    # Committed with no call to Zoom: the meeting is a task for the worker.
    assert zoom.calls == []
    assert (booking.meeting_provider, booking.meeting_url) == ("zoom", "")
    assert MeetingTask.objects.get().action == "create"

    assert run_worker() == 1
    booking.refresh_from_db()
    (meeting,) = zoom.meetings.values()
    assert booking.meeting_id == str(meeting["id"])
    assert booking.meeting_url == meeting["join_url"]
    assert zoom_start(meeting["start_time"]) == start
    assert (meeting["duration"], meeting["timezone"], meeting["type"]) == (45, "UTC", 2)
    assert meeting["topic"] == f"Online zoom with {alice.display_name}"
    assert MeetingTask.objects.get().status == "done"
    assert run_worker(5) == 0  # done is done


def test_the_token_is_cached_until_it_expires(alice, zoom, zoom_service):
    book(zoom_service, factories.local_at(alice, 2, "10:00"), "Carol")
    book(zoom_service, factories.local_at(alice, 2, "12:00"), "Dave")
    run_worker()
    assert len(zoom.api_calls("POST")) == 2
    assert len(zoom.token_calls()) == 1
    cache.clear()  # as if it had expired
    book(zoom_service, factories.local_at(alice, 3, "12:00"), "Erin")
    run_worker()
    assert len(zoom.token_calls()) == 2


def test_a_401_fetches_a_new_token_and_the_call_is_made_again(alice, zoom, zoom_service):
    book(zoom_service, factories.local_at(alice, 2, "10:00"), "Carol")
    run_worker()
    zoom.revoke_tokens()  # Zoom no longer takes the cached token
    booking = book(zoom_service, factories.local_at(alice, 2, "12:00"), "Dave")
    assert run_worker() == 1
    booking.refresh_from_db()
    assert booking.meeting_url.startswith("https://us02web.zoom.us/j/")
    statuses = [(c.method, c.path) for c in zoom.calls[-3:]]
    assert statuses == [
        ("POST", "/v2/users/me/meetings"),
        ("POST", "/oauth/token"),
        ("POST", "/v2/users/me/meetings"),
    ]
    task = MeetingTask.objects.get(booking_id=booking.pk)
    assert [e["status"] for e in task.log] == [401, 200, 201]


@pytest.mark.parametrize("fault", [429, 500])
def test_a_rate_limit_or_a_zoom_error_is_retried_later(alice, zoom, zoom_service, fault):
    booking = book(zoom_service, factories.local_at(alice, 2, "10:00"))
    zoom.faults = [fault, fault]
    assert run_worker() == 0
    task = MeetingTask.objects.get()
    assert (task.status, task.attempts) == ("pending", 1)
    assert str(fault) in task.last_error
    # Not before its backoff (1 minute; Zoom's Retry-After of 30 s for a 429 is less).
    assert run_worker(0.5) == 0
    assert len(zoom.api_calls("POST")) == 1
    assert run_worker(1.5) == 0  # the second fault
    assert run_worker(4) == 1
    booking.refresh_from_db()
    assert booking.meeting_id and len(zoom.meetings) == 1
    task.refresh_from_db()
    assert (task.status, task.attempts) == ("done", 3)


def test_zoom_down_at_booking_time_never_refuses_the_booking(alice, zoom, zoom_service, settings):
    settings.ZOOM_API_BASE = settings.ZOOM_OAUTH_BASE = "http://127.0.0.1:9"  # nobody there
    booking = book(zoom_service, factories.local_at(alice, 2, "10:00"))
    assert Booking.objects.filter(pk=booking.pk, status="confirmed").exists()
    assert run_worker() == 0
    task = MeetingTask.objects.get()
    assert task.status == "pending" and "did not answer" in task.last_error


def test_a_refusal_is_given_up_and_shown_on_the_trainers_booking_page(
    alice, zoom, zoom_service, settings, client
):
    settings.ZOOM_CLIENT_SECRET = "wrong"
    booking = book(zoom_service, factories.local_at(alice, 2, "10:00"))
    run_worker()
    assert MeetingTask.objects.get().status == "failed"
    client.force_login(alice)
    page = client.get(f"/scheduling/bookings/{booking.pk}/").content.decode()
    assert "The Zoom meeting could not be created" in page
    assert "refused the request (400)" in page


def test_reschedule_moves_the_meeting_and_cancel_deletes_it(alice, zoom, zoom_service):
    booking = book(zoom_service, factories.local_at(alice, 2, "10:00"))
    run_worker()
    booking.refresh_from_db()
    meeting_id = booking.meeting_id
    later = factories.local_at(alice, 3, "15:00")
    services.booking_reschedule(booking=booking, start=later, actor="trainer")
    assert run_worker() == 1
    (patch,) = zoom.api_calls("PATCH")
    assert patch.path == f"/v2/meetings/{meeting_id}"
    assert zoom_start(patch.body["start_time"]) == later
    assert zoom_start(zoom.meetings[meeting_id]["start_time"]) == later
    booking.refresh_from_db()
    assert booking.meeting_id == meeting_id  # the same link

    services.booking_cancel(booking=booking, actor="trainer", reason="Ill")
    assert run_worker() == 1
    (delete,) = zoom.api_calls("DELETE")
    assert delete.path == f"/v2/meetings/{meeting_id}"
    assert zoom.meetings == {}


def test_cancelled_before_the_meeting_was_made_makes_no_meeting(alice, zoom, zoom_service):
    booking = book(zoom_service, factories.local_at(alice, 2, "10:00"))
    services.booking_cancel(booking=booking, actor="trainer", reason="Ill")
    run_worker()
    assert zoom.api_calls() == [] and zoom.meetings == {}


def test_moved_before_the_meeting_was_made_gets_it_at_the_new_time(alice, zoom, zoom_service):
    booking = book(zoom_service, factories.local_at(alice, 2, "10:00"))
    later = factories.local_at(alice, 4, "09:00")
    services.booking_reschedule(booking=booking, start=later, actor="client")
    run_worker()
    booking.refresh_from_db()
    (meeting,) = zoom.meetings.values()
    assert zoom_start(meeting["start_time"]) == later
    assert booking.meeting_id == str(meeting["id"])


def test_a_group_session_shares_one_meeting_deleted_when_the_last_attendee_leaves(alice, zoom):
    factories.open_every_day(alice, "06:00", "22:00")
    group = online_service(alice, "zoom", name="Online yoga", capacity=5)
    start = factories.local_at(alice, 2, "10:00")
    first = book(group, start, "Carol")
    second = book(group, start, "Dave")
    run_worker()
    late = book(group, start, "Erin")  # joins once the meeting exists
    run_worker()
    rows = Booking.objects.filter(pk__in=[first.pk, second.pk, late.pk])
    assert len(zoom.api_calls("POST")) == 1
    assert len({(b.meeting_id, b.meeting_url) for b in rows}) == 1
    services.booking_cancel(booking=first, actor="trainer", reason="Ill")
    services.booking_cancel(booking=second, actor="client", reason="Away")
    run_worker()
    assert zoom.api_calls("DELETE") == []
    services.booking_cancel(booking=late, actor="client", reason="Away")
    run_worker()
    assert len(zoom.api_calls("DELETE")) == 1 and zoom.meetings == {}


def test_every_call_is_logged_without_secrets(alice, zoom, zoom_service, caplog):
    caplog.set_level(logging.INFO, logger="trainerhub.meetings")
    booking = book(zoom_service, factories.local_at(alice, 2, "10:00"))
    zoom.faults = [500]
    run_worker()
    run_worker(2)
    booking.refresh_from_db()
    calls = [r for r in caplog.records if r.getMessage() == "zoom call"]
    assert [(r.method, r.path, r.status) for r in calls] == [
        ("POST", "/oauth/token", 200),
        ("POST", "/v2/users/me/meetings", 500),
        ("POST", "/v2/users/me/meetings", 201),
    ]
    logged = " ".join(str(r.__dict__) for r in caplog.records)
    task_log = str(MeetingTask.objects.get().log)
    for secret in (CLIENT_SECRET, "zoom-token-1", booking.meeting_url, "secretpwd"):
        assert secret not in logged and secret not in task_log


def test_a_meeting_deleted_in_zoom_by_hand_is_made_again_when_moved(alice, zoom, zoom_service):
    booking = book(zoom_service, factories.local_at(alice, 2, "10:00"))
    run_worker()
    zoom.meetings.clear()
    services.booking_reschedule(
        booking=booking, start=factories.local_at(alice, 3, "10:00"), actor="trainer"
    )
    run_worker()
    run_worker()
    booking.refresh_from_db()
    assert booking.meeting_id in zoom.meetings


def test_a_whole_group_session_moved_keeps_its_one_meeting(alice, zoom):
    factories.open_every_day(alice, "06:00", "22:00")
    group = online_service(alice, "zoom", name="Online yoga", capacity=5)
    start = factories.local_at(alice, 2, "10:00")
    first, second = book(group, start, "Carol"), book(group, start, "Dave")
    run_worker()
    first.refresh_from_db()
    later = factories.local_at(alice, 3, "18:00")
    services.session_move(session=first.session, start=later, actor="trainer")
    run_worker()
    assert len(zoom.api_calls("POST")) == 1 and zoom.api_calls("DELETE") == []
    (patch,) = zoom.api_calls("PATCH")
    assert zoom_start(patch.body["start_time"]) == later
    moved = Booking.objects.filter(pk__in=[first.pk, second.pk])
    assert {b.meeting_id for b in moved} == {first.meeting_id}
