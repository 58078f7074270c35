"""Tenancy as it is now (`core/tenancy.py`): no ambient tenant, the trainer is an argument of
every read. These tests pin the mechanism down where the old context-variable scope failed
open: in a thread, in async code, for a queryset built before a request, through related
managers and in a raw query; and they run every trainer service on alice's rows while bob
uses the product, showing nothing of bob's is read or changed."""

from __future__ import annotations

import threading
from datetime import time, timedelta
from typing import Any

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.apps import apps
from django.db import connections
from django.http import Http404
from django.utils import timezone

from trainerhub.clients import notes as client_notes
from trainerhub.clients import selectors as client_selectors
from trainerhub.clients import services as client_services
from trainerhub.core.tests.factories import (
    local_at,
    make_booking,
    make_client,
    make_service,
    open_every_day,
    world_of,
)
from trainerhub.notifications.models import NotificationAttempt
from trainerhub.scheduling import selectors, services
from trainerhub.scheduling.models import Booking, Session

Status = Booking.Status


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


@pytest.fixture
def worlds(alice, bob):
    return world_of(alice), world_of(bob)


def _pks(rows: Any) -> set[int]:
    return {row.pk for row in rows}


def _reads_of(trainer: Any) -> dict[str, set[int]]:
    """What the selectors answer for `trainer`, as sets of ids."""
    return {
        "bookings": _pks(selectors.bookings_for_trainer(trainer=trainer)),
        "clients": _pks(client_selectors.clients_search(trainer=trainer, status="all")),
        "services": _pks(selectors.services_for_trainer(trainer=trainer)),
        "time_off": _pks(selectors.time_off_for_trainer(trainer=trainer)),
        "overrides": _pks(selectors.date_overrides_for_trainer(trainer=trainer)),
        "tags": _pks(client_selectors.tags_for_trainer(trainer=trainer)),
    }


def _owned(world: Any) -> dict[str, set[int]]:
    return {
        "bookings": {world.booking.pk},
        "clients": {world.client.pk},
        "services": {world.service.pk},
        "time_off": {world.time_off.pk},
        "overrides": {world.override.pk},
        "tags": {world.tag.pk},
    }


# --- The mechanism -------------------------------------------------------------------------


def test_a_selector_answers_the_named_trainer_only(worlds):
    alices, bobs = worlds
    assert _reads_of(alices.trainer) == _owned(alices)
    assert _reads_of(bobs.trainer.pk) == _owned(bobs)  # a trainer given by id: the same


def test_the_manager_is_plain_whoever_signed_in_last(worlds, bob_api, client):
    """No scope is left behind by an API request (JWT) or a page (session): the plain
    manager sees every row, so only an explicit filter decides what a caller gets."""
    alices, bobs = worlds
    assert bob_api.get("/api/v1/bookings/").status_code == 200
    client.force_login(bobs.trainer)
    assert client.get("/scheduling/bookings/").status_code == 200
    both = {alices.booking.pk, bobs.booking.pk}
    assert _pks(Booking.objects.all()) == both
    assert _pks(Booking._base_manager.all()) == both
    assert _reads_of(alices.trainer) == _owned(alices)


@pytest.mark.django_db(transaction=True)
def test_selectors_in_another_thread_answer_the_named_trainer_only(alice, bob, settings):
    alices, bobs = world_of(alice), world_of(bob)
    answers: dict[str, Any] = {}

    def read() -> None:
        try:
            answers["alice"] = _reads_of(alice)
            try:
                selectors.booking_get_for_trainer(trainer=alice, pk=bobs.booking.pk)
            except Http404:
                answers["bobs booking"] = "404"
        finally:
            connections.close_all()

    thread = threading.Thread(target=read)
    thread.start()
    thread.join(timeout=60)
    assert answers == {"alice": _owned(alices), "bobs booking": "404"}


def test_selectors_in_async_code_answer_the_named_trainer_only(worlds):
    alices, bobs = worlds

    async def read() -> tuple[dict[str, set[int]], str]:
        reads = await sync_to_async(_reads_of)(alices.trainer)
        try:
            await sync_to_async(client_selectors.client_get_for_trainer)(
                trainer=alices.trainer, pk=bobs.client.pk
            )
        except Http404:
            return reads, "404"
        return reads, "found"

    assert async_to_sync(read)() == (_owned(alices), "404")


def test_a_queryset_built_before_any_request_keeps_its_trainer(alice, bob, bob_api, client):
    early = selectors.bookings_for_trainer(trainer=alice)  # lazy: no query yet
    early_clients = client_selectors.clients_search(trainer=alice)
    alices = world_of(alice)
    world_of(bob)
    client.force_login(bob)
    assert client.get("/clients/").status_code == 200
    assert bob_api.get("/api/v1/clients/").status_code == 200
    assert _pks(early) == {alices.booking.pk}
    assert _pks(early_clients) == {alices.client.pk}


def test_a_related_manager_sees_every_attendee_of_a_group_session(alice, bob, bob_api, client):
    """Seen from one booking, a group session's attendees are all of them, whoever is
    signed in: a related manager carries no tenant filter that could hide some."""
    open_every_day(alice)
    group = make_service(alice, name="Group HIIT", capacity=5)
    start = local_at(alice, 2, "18:00")
    people = [make_client(alice, name) for name in ("Carol", "Dave", "Erin")]
    bookings = [make_booking(person, start, service=group) for person in people]
    client.force_login(bob)
    assert client.get("/scheduling/bookings/").status_code == 200
    assert bob_api.get("/api/v1/bookings/").status_code == 200
    session = bookings[0].session
    assert _pks(session.bookings.all()) == _pks(bookings)
    assert _pks(Session.objects.get(pk=session.pk).bookings.all()) == _pks(bookings)
    assert bookings[2].client.trainer == alice


def test_a_raw_query_answers_what_its_sql_says(worlds):
    """raw() bypasses no scope because there is none: it answers its SQL, so a raw read
    names the trainer like every other read (and lives in a selector)."""
    alices, bobs = worlds
    table = Booking._meta.db_table
    mine = Booking.objects.raw(
        f"SELECT * FROM {table} WHERE trainer_id = %s",
        [alices.trainer.pk],
    )
    assert _pks(mine) == {alices.booking.pk}
    everyone = Booking.objects.raw(f"SELECT * FROM {table}")
    assert _pks(everyone) == {alices.booking.pk, bobs.booking.pk}


# --- Every trainer service, run on alice's rows while bob uses the product ---------------


def _snapshot(trainer: Any) -> dict[str, list[dict[str, Any]]]:
    """Every row the trainer owns, field by field (their user row and send attempts too)."""
    rows: dict[str, list[dict[str, Any]]] = {}
    for model in apps.get_models():
        names = {f.name for f in model._meta.get_fields()}
        if "trainer" in names and model._meta.app_label != "accounts":
            qs = model._default_manager.filter(trainer=trainer).order_by("pk")
            rows[model._meta.label] = list(qs.values())
    user_model = type(trainer)
    rows["accounts.User"] = list(user_model._default_manager.filter(pk=trainer.pk).values())
    attempts = NotificationAttempt.objects.filter(notification__trainer=trainer)
    rows["notifications.NotificationAttempt"] = list(attempts.order_by("pk").values())
    return rows


EVERY_SERVICE = [
    *("booking_create", "booking_confirm", "booking_decline", "booking_reschedule"),
    *("booking_update", "booking_cancel", "booking_complete", "booking_mark_no_show"),
    *("series_create", "series_cancel_following"),
    *("client_create", "client_update", "client_archive", "client_restore", "client_erase"),
    *("note_create", "note_update", "note_delete", "tag_create"),
    *("service_create", "service_update", "service_deactivate"),
    *("weekly_interval_create", "weekly_interval_update", "weekly_interval_delete"),
    *("date_override_create", "date_override_update", "date_override_set"),
    *("date_override_delete", "time_off_create", "time_off_update", "time_off_delete"),
]


class BobMeanwhile:
    """bob's API token and bob's signed-in page session, used between alice's services:
    every answer must be bob's own rows, the same each time."""

    def __init__(self, api: Any, web: Any) -> None:
        self.api, self.web = api, web
        self.first: tuple[Any, ...] | None = None
        self.requests = 0

    def look(self) -> None:
        bookings = self.api.get("/api/v1/bookings/")
        clients = self.api.get("/api/v1/clients/", {"status": "all"})
        page = self.web.get("/scheduling/bookings/", {"start": "2000-01-01"})
        assert (bookings.status_code, clients.status_code, page.status_code) == (200, 200, 200)
        seen = (
            sorted(row["id"] for row in bookings.json()["results"]),
            sorted(row["id"] for row in clients.json()["results"]),
            sorted(b.pk for b in page.context["page"].object_list),
        )
        self.first = self.first or seen
        assert seen == self.first
        self.requests += 1


def test_every_trainer_service_leaves_bob_untouched(alice, bob, bob_api, client):
    alices = world_of(alice)
    world_of(bob)
    confirm_first = make_service(alice, name="Assessment", requires_confirmation=True)
    client.force_login(bob)
    bob_sees = BobMeanwhile(bob_api, client)
    bob_sees.look()  # bob's own first visit may set things up for him: not alice's doing
    before = _snapshot(bob)
    carol = alices.client
    ran: list[str] = []

    def step(name: str, result: Any = None) -> Any:
        ran.append(name)
        bob_sees.look()
        return result

    # Bookings: every move of the state machine.
    created = step(
        "booking_create",
        services.booking_create(
            trainer=alice, client=carol, service=alices.service, start=local_at(alice, 4, "09:00")
        ),
    )
    asked = [
        services.booking_create(
            trainer=alice,
            client=carol,
            service=confirm_first,
            start=local_at(alice, 5, hhmm),
            source=Booking.Source.CLIENT,
        )
        for hhmm in ("09:00", "11:00")
    ]
    step("booking_confirm", services.booking_confirm(booking=asked[0], actor="trainer"))
    step("booking_decline", services.booking_decline(booking=asked[1], actor="trainer"))
    step(
        "booking_reschedule",
        services.booking_reschedule(
            booking=created, start=local_at(alice, 4, "12:00"), actor="trainer"
        ),
    )
    step("booking_update", services.booking_update(booking=created, actor="trainer", notes="x"))
    step("booking_cancel", services.booking_cancel(booking=created, actor="trainer", reason="-"))
    started = [
        make_booking(carol, timezone.now() - timedelta(hours=h), service=alices.service)
        for h in (3, 6)
    ]
    step("booking_complete", services.booking_complete(booking=started[0], actor="trainer"))
    step("booking_mark_no_show", services.booking_mark_no_show(booking=started[1], actor="trainer"))
    series, booked, _ = services.series_create(
        trainer=alice,
        client=carol,
        service=alices.service,
        start=local_at(alice, 8, "15:00"),
        every_weeks=1,
        count=3,
        all_or_nothing=True,
        source=Booking.Source.TRAINER,
    )
    step("series_create", series)
    step(
        "series_cancel_following",
        services.series_cancel_following(booking=booked[1], actor="trainer", reason="Away"),
    )
    # Clients and their notes.
    dana = step("client_create", make_client(alice, "Dana", email="dana@example.com"))
    step("client_update", client_services.client_update(client=dana, last_name="Dee"))
    step("client_archive", client_services.client_archive(client=dana))
    step("client_restore", client_services.client_restore(client=dana))
    note = step("note_create", client_notes.note_create(client=carol, body="Strong today"))
    step("note_update", client_notes.note_update(note=note, body="Strong"))
    step("note_delete", client_notes.note_delete(note=note))
    step("tag_create", client_services.tag_create(trainer=alice, name="evening"))
    # Services, hours, overrides, time off.
    yoga = step("service_create", make_service(alice, name="Yoga"))
    step("service_update", services.service_update(service=yoga, price="40.00"))
    step("service_deactivate", services.service_deactivate(service=yoga))
    interval = step(
        "weekly_interval_create",
        services.weekly_interval_create(trainer=alice, weekday=6, start=time(6), end=time(7)),
    )
    step(
        "weekly_interval_update", services.weekly_interval_update(interval=interval, start=time(5))
    )
    step("weekly_interval_delete", services.weekly_interval_delete(interval=interval))
    day = local_at(alice, 60, "00:00").date()
    override = step(
        "date_override_create",
        services.date_override_create(trainer=alice, date=day, closed=True),
    )
    step(
        "date_override_update",
        services.date_override_update(
            override=override, closed=False, intervals=[{"start": "10:00", "end": "12:00"}]
        ),
    )
    step("date_override_set", services.date_override_set(trainer=alice, date=day, closed=True))
    step("date_override_delete", services.date_override_delete(override=override))
    off_start = local_at(alice, 70, "09:00")
    off = step(
        "time_off_create",
        services.time_off_create(
            trainer=alice, start=off_start, end=off_start + timedelta(hours=3)
        ),
    )
    step("time_off_update", services.time_off_update(time_off=off, reason="Dentist"))
    step("time_off_delete", services.time_off_delete(time_off=off))
    step("client_erase", client_services.client_erase(client=dana, confirm=dana.full_name))

    assert sorted(ran) == sorted(EVERY_SERVICE)
    assert bob_sees.requests == len(ran) + 1
    assert _snapshot(bob) == before


def test_cancelling_one_attendee_keeps_the_group_session_for_the_others(
    alice, bob, bob_api, client
):
    """The corruption the old scope caused: one attendee cancelled under another tenant, the
    session marked inactive while another attendee stayed confirmed, and the slot offered
    as free again. Now the session stays active, with one seat fewer taken."""
    bobs = world_of(bob)
    open_every_day(alice)
    group = make_service(alice, name="Group HIIT", capacity=5)
    start = local_at(alice, 2, "18:00")
    carol, dave = make_client(alice, "Carol"), make_client(alice, "Dave")
    carols, daves = (
        make_booking(carol, start, service=group),
        make_booking(dave, start, service=group),
    )
    client.force_login(bob)
    assert client.get("/scheduling/bookings/").status_code == 200
    assert bob_api.get(f"/api/v1/bookings/{carols.pk}/").status_code == 404

    services.booking_cancel(booking=carols, actor="trainer", reason="Ill")

    assert [b["id"] for b in bob_api.get("/api/v1/bookings/").json()["results"]] == [
        bobs.booking.pk
    ]
    session = Session.objects.get(pk=carols.session_id)
    daves.refresh_from_db()
    assert (session.active, daves.status, daves.session_id) == (True, Status.CONFIRMED, session.pk)
    offered = {
        s.start: s
        for s in selectors.slots_for_service(
            trainer=alice, service=group, first_day=start.date(), last_day=start.date()
        )
    }
    assert (offered[start].session_id, offered[start].available) == (session.pk, 4)

    services.booking_cancel(booking=daves, actor="trainer", reason="Ill")
    session.refresh_from_db()
    assert session.active is False


@pytest.mark.django_db(transaction=True)
def test_alices_services_while_bobs_requests_run_in_another_thread(alice, bob):
    """bob's pages and API requests are in flight in another thread, each on its own
    connection, while alice's services run: bob sees only his rows, the same every time, and
    nothing of his changes."""
    from django.test import Client as WebClient
    from rest_framework.test import APIClient
    from rest_framework_simplejwt.tokens import RefreshToken

    alices, bobs = world_of(alice), world_of(bob)
    web = WebClient()
    web.force_login(bob)  # bob's own sign-in (it stamps his last_login) comes first
    before = _snapshot(bob)
    done = threading.Event()
    seen: list[tuple[Any, ...]] = []
    crashed: list[str] = []

    def bob_browses() -> None:
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(bob).access_token}")
        try:
            while not done.is_set() or not seen:
                bookings = api.get("/api/v1/bookings/").json()["results"]
                page = web.get("/scheduling/bookings/", {"start": "2000-01-01"})
                seen.append(
                    (
                        tuple(sorted(b["id"] for b in bookings)),
                        tuple(sorted(b.pk for b in page.context["page"].object_list)),
                    )
                )
        except Exception as exc:
            crashed.append(repr(exc))
        finally:
            connections.close_all()

    thread = threading.Thread(target=bob_browses)
    thread.start()
    try:
        carol = alices.client
        booking = services.booking_create(
            trainer=alice, client=carol, service=alices.service, start=local_at(alice, 4, "09:00")
        )
        services.booking_reschedule(
            booking=booking, start=local_at(alice, 4, "11:00"), actor="trainer"
        )
        services.booking_cancel(booking=booking, actor="trainer", reason="Ill")
        client_services.client_update(client=carol, last_name="Changed")
        services.time_off_create(
            trainer=alice,
            start=local_at(alice, 9, "09:00"),
            end=local_at(alice, 9, "12:00"),
        )
    finally:
        done.set()
        thread.join(timeout=120)
    assert crashed == []
    assert seen and set(seen) == {((bobs.booking.pk,), (bobs.booking.pk,))}
    assert _snapshot(bob) == before
