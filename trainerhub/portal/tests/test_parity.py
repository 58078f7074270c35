"""Parity of the client-facing rules: every action on every surface gets the same verdict.

One table of booking states and actions says what the client may do; each surface (the manage
link's pages and API, the "My appointments" pages and the client API) must agree with it.
Allowed means done and recorded the same way (status, who cancelled, the late flag, the
reason, the new time); refused means nothing changed and the surface's one refusal:

- another client's booking: 404 everywhere (the caller cannot tell it exists; on the manage
  surfaces this is a link the caller does not hold);
- a booking the client may no longer change: 409, the API's answer to `NotAllowed` (see
  core/api.py) and the pages' too (the booking's page with why);
- the manage link of an ended session no longer exists: 404 for every action there, while
  the signed-in client still sees the ended booking (and is refused a change with 409).

The public API has no operation on an existing booking; it takes part by offering the freed
time again after every allowed cancellation.

Time is frozen at BASE (a Tuesday in London winter time) and moved on for "started" and
"ended", so the table does not depend on when it runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client as PageClient
from rest_framework.test import APIClient

from conftest import api_client_for
from trainerhub.portal.tests.conftest import LONDON, make_client, make_client_user
from trainerhub.scheduling.models import Booking, BookingEvent
from trainerhub.scheduling.services import booking_cancel, booking_create, booking_decline
from trainerhub.scheduling.services.cancellation import (
    REASON_MAX_LENGTH,
    REASON_REQUIRED,
    REASON_TOO_LONG,
)

pytestmark = pytest.mark.django_db

BASE = datetime(2030, 3, 5, 9, 0, tzinfo=UTC)  # 09:00 in London
UPCOMING = datetime(2030, 3, 8, 10, 0, tzinfo=LONDON)  # three days ahead: outside 24 h
LATE = datetime(2030, 3, 5, 14, 0, tzinfo=LONDON)  # five hours ahead: inside the window
SOON = datetime(2030, 3, 5, 11, 0, tzinfo=LONDON)  # started/ended once the clock moves
NEW_START = datetime(2030, 3, 9, 15, 0, tzinfo=LONDON)  # free, within hours and horizon
REASON = "I am unwell"
NO_LINK = "x" * 43  # a well-formed manage token that belongs to no booking


@dataclass(frozen=True)
class State:
    start: datetime
    clock: datetime  # where the clock stands when the client acts
    cancelled: bool = False
    theirs: bool = False
    # Asked by the client of a service that needs the trainer's confirmation, then maybe
    # declined by the trainer.
    requested: bool = False
    declined: bool = False


STATES = {
    "upcoming": State(UPCOMING, BASE),
    "late": State(LATE, BASE),
    "started": State(SOON, SOON + timedelta(minutes=10)),
    "ended": State(SOON, SOON + timedelta(minutes=70)),
    "cancelled": State(UPCOMING, BASE, cancelled=True),
    "theirs": State(UPCOMING, BASE, theirs=True),
    "pending": State(UPCOMING, BASE, requested=True),
    "declined": State(UPCOMING, BASE, requested=True, declined=True),
}

# What the client may do, by state: the one table every surface must agree with.
ALLOWED = {
    "view": {"upcoming", "late", "started", "ended", "cancelled", "pending", "declined"},
    "cancel": {"upcoming", "late", "pending"},
    "reschedule": {"upcoming", "late", "pending"},
}
SURFACES = ("manage_page", "my_page", "manage_api", "client_api")
TOKEN_SURFACES = {"manage_page", "manage_api"}
DONE = {"page": {"view": 200, "cancel": 302, "reschedule": 302}, "api": 200}


@dataclass
class World:
    booking: Booking
    carol: Any  # the client account acting on every "my" and client API surface
    page: PageClient
    api: APIClient


def _book(trainer, service, client, start: datetime, *, source: str = "trainer") -> Booking:
    return booking_create(
        trainer=trainer, client=client, service=service, start=start, source=source
    )


@pytest.fixture
def clock():
    with time_machine.travel(BASE, tick=False) as traveller:
        yield traveller


def _world(state: State, alice, service, clock) -> World:
    carol = make_client_user("carol@example.com", "a-long-client-password-42")
    dave = make_client_user("dave@example.com", "a-long-client-password-42")
    owner = dave if state.theirs else carol
    record = make_client(alice, owner.email, account=owner)
    if state.requested:
        service.requires_confirmation = True
        service.save(update_fields=["requires_confirmation"])
    booking = _book(
        alice, service, record, state.start, source="client" if state.requested else "trainer"
    )
    if state.cancelled:
        booking_cancel(booking=booking, actor="trainer", reason="Studio closed")
    if state.declined:
        booking_decline(booking=booking, actor="trainer", message="Fully booked that week")
    clock.move_to(state.clock)
    page = PageClient()
    page.force_login(carol)
    # Made after the clock moved: an access token minted at BASE would have expired.
    return World(booking, carol, page, api_client_for(carol))


def _act(world: World, surface: str, action: str) -> Any:
    b = world.booking
    # Carol holds the links of her own bookings only; the link is the whole credential.
    token = b.manage_token if b.client.account_id == world.carol.pk else NO_LINK
    new = NEW_START.isoformat()
    if surface == "manage_page":
        return _page_action(PageClient(), f"/manage/{token}/", action, new)
    if surface == "my_page":
        return _page_action(world.page, f"/my/bookings/{b.pk}/", action, new)
    if surface == "manage_api":
        base, client = f"/api/v1/manage/{token}", APIClient()
    else:
        base, client = f"/api/v1/client/bookings/{b.pk}", world.api
    if action == "view":
        return client.get(base)
    body = {"reason": REASON} if action == "cancel" else {"start": new}
    return client.post(f"{base}/{action}", body, format="json")


def _page_action(client: PageClient, base: str, action: str, new: str) -> Any:
    if action == "view":
        return client.get(base)
    if action == "cancel":
        return client.post(f"{base}cancel/", {"reason_choice": REASON})
    return client.post(f"{base}reschedule/", {"start": new})


def _snapshot(booking: Booking) -> tuple:
    b = Booking.objects.get(pk=booking.pk)
    fields = ("status", "start", "end", "sequence", "late_cancellation", "cancellation_reason")
    return (*(getattr(b, f) for f in fields), BookingEvent.objects.filter(booking=b).count())


def _expected_refusal(surface: str, state_name: str) -> int:
    if state_name == "theirs":
        return 404
    if state_name == "ended" and surface in TOKEN_SURFACES:
        return 404  # the manage link ends with the session
    return 409


def _freed_again(start: datetime, service) -> bool:
    day = start.astimezone(LONDON).date().isoformat()
    r = APIClient().get(
        "/api/v1/public/alice/slots",
        {"service": service.pk, "from": day, "to": day, "tz": "Europe/London"},
    )
    assert r.status_code == 200
    return start.astimezone(LONDON).isoformat() in {s["start"] for s in r.json()["slots"]}


def _assert_done(world: World, action: str, state_name: str, service) -> None:
    b = Booking.objects.get(pk=world.booking.pk)
    last = BookingEvent.objects.filter(booking=b).order_by("-id").first()
    if action == "cancel":
        assert (b.status, b.cancelled_by, b.cancellation_reason, b.late_cancellation) == (
            "cancelled",
            "client",
            REASON,
            state_name == "late",
        )
        assert (last.kind, last.actor, last.data["late"]) == (
            "cancelled",
            "client",
            b.late_cancellation,
        )
        assert _freed_again(world.booking.start, service)
    else:
        # Moved, and still waiting for the trainer if it was.
        assert (b.status, b.start, b.end) == (
            "pending" if state_name == "pending" else "confirmed",
            NEW_START,
            NEW_START + timedelta(hours=1),
        )
        assert (last.kind, last.actor) == ("rescheduled", "client")


CASES = [
    (surface, action, state)
    for surface in SURFACES
    for action in ("view", "cancel", "reschedule")
    for state in STATES
]


@pytest.mark.parametrize(("surface", "action", "state_name"), CASES)
def test_same_verdict_on_every_surface(surface, action, state_name, alice, service, clock):
    world = _world(STATES[state_name], alice, service, clock)
    before = _snapshot(world.booking)
    r = _act(world, surface, action)
    allowed = state_name in ALLOWED[action] and not (
        state_name == "ended" and surface in TOKEN_SURFACES
    )
    if not allowed:
        refusal = _expected_refusal(surface, state_name)
        assert r.status_code == refusal
        assert _snapshot(world.booking) == before
        if refusal == 409 and surface.endswith("api"):
            assert r.json()["code"] == "no_longer_changeable"
        elif refusal == 409:
            assert "it can no longer be changed" in r.content.decode()
        return
    kind = "page" if surface.endswith("page") else "api"
    assert r.status_code == (DONE[kind][action] if kind == "page" else DONE["api"])
    if action == "view":
        assert _snapshot(world.booking) == before
        return
    _assert_done(world, action, state_name, service)


# --- One reason rule, in the same words on every surface ------------------------------------

REASONS = {
    "missing": ("", REASON_REQUIRED),
    "too long": ("x" * (REASON_MAX_LENGTH + 1), REASON_TOO_LONG),
}


@pytest.mark.parametrize("surface", ["manage_api", "client_api"])
@pytest.mark.parametrize("case", REASONS)
def test_reason_rule_is_the_same_on_both_apis(surface, case, alice, service, clock):
    world = _world(STATES["upcoming"], alice, service, clock)
    before = _snapshot(world.booking)
    reason, message = REASONS[case]
    b = world.booking
    if surface == "manage_api":
        r = APIClient().post(f"/api/v1/manage/{b.manage_token}/cancel", {"reason": reason})
    else:
        r = world.api.post(f"/api/v1/client/bookings/{b.pk}/cancel", {"reason": reason})
    assert (r.status_code, r.json()) == (400, {"reason": [message]})
    assert _snapshot(b) == before


@pytest.mark.parametrize("base", ["manage", "my"])
def test_reason_rule_is_the_same_on_both_pages(base, alice, service, clock):
    world = _world(STATES["upcoming"], alice, service, clock)
    b = world.booking
    url = (
        f"/manage/{b.manage_token}/cancel/" if base == "manage" else f"/my/bookings/{b.pk}/cancel/"
    )
    missing = world.page.post(url, {"reason_choice": "other", "reason_text": " "})
    too_long = world.page.post(
        url, {"reason_choice": "I am unwell", "reason_text": "x" * REASON_MAX_LENGTH}
    )
    assert missing.status_code == too_long.status_code == 400
    assert REASON_REQUIRED in missing.content.decode()
    assert REASON_TOO_LONG in too_long.content.decode()
    assert Booking.objects.get(pk=b.pk).status == "confirmed"


# --- Account creation from a manage link follows the same rule ----------------------------


@pytest.mark.parametrize("state_name", ["started", "cancelled"])
def test_no_account_from_a_booking_the_client_may_no_longer_change(
    state_name, alice, service, clock
):
    state = STATES[state_name]
    record = make_client(alice, "erin@example.com")
    booking = _book(alice, service, record, state.start)
    if state.cancelled:
        booking_cancel(booking=booking, actor="trainer", reason="Studio closed")
    clock.move_to(state.clock)
    url = f"/manage/{booking.manage_token}/account/"
    page = PageClient()
    r = page.get(url)
    assert (r.status_code, r["Location"]) == (302, f"/manage/{booking.manage_token}/")
    password = "a-long-client-password-42"
    r = page.post(url, {"email": "erin@example.com", "password": password, "password2": password})
    assert r.status_code == 409 and "it can no longer be changed" in r.content.decode()
    record.refresh_from_db()
    assert record.account_id is None
