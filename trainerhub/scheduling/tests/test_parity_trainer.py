"""Parity of the trainer's actions: the page, the calendar's drag-and-drop and the trainer API
give the same verdict on the same booking, because the scheduling services decide and the
surfaces only translate.

Each case runs one action against one booking state on every surface that offers it: each
surface in a savepoint that is rolled back, so all of them start from the same row. Then:
allowed → the same state change everywhere; refused → the row unchanged, the same words,
and each surface's one right code (page: a redirect with the refusal as an error message;
calendar and API: 409 with the code; someone else's booking: 404 everywhere).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.contrib.messages import constants, get_messages
from django.db import transaction
from django.utils import timezone

from trainerhub.core.tests.factories import local_at, make_booking, make_client, make_service
from trainerhub.core.timezones import zone
from trainerhub.scheduling.models import Booking

Status = Booking.Status
STATES = ("pending", "upcoming", "started", "ended", "cancelled", "others")
ACTIVE = {"pending", "upcoming", "started", "ended"}
# The domain's table: in which states each trainer action is allowed.
ALLOWED = {
    "confirm": {"pending"},
    "decline": {"pending"},
    "complete": {"started", "ended"},
    "no_show": {"started", "ended"},
    # A session that has started is history: completed or a no-show, never cancelled or moved.
    "cancel": {"pending", "upcoming"},
    "reschedule": {"pending", "upcoming"},
    "reschedule_override": {"pending", "upcoming"},  # outside the hours, "book outside my rules"
    "reschedule_outside": set(),  # outside the hours without it: the rules refuse
}
AFTER = {
    "confirm": Status.CONFIRMED,
    "decline": Status.DECLINED,
    "complete": Status.COMPLETED,
    "no_show": Status.NO_SHOW,
    "cancel": Status.CANCELLED,
}
MOVES = ("reschedule", "reschedule_override", "reschedule_outside")


@dataclass(frozen=True)
class Outcome:
    verdict: str  # allowed, refused, not_found
    code: int
    detail: str
    status: str
    start: datetime


@pytest.fixture
def setting(alice, bob, open_alice):
    """alice works 07:00-21:00; every state of booking, and one of bob's."""
    pt = make_service(alice, duration_minutes=60)
    asks = make_service(alice, name="Assessment", requires_confirmation=True)
    carol = make_client(alice, "Carol")
    now = timezone.now()
    bookings = {
        "pending": make_booking(
            carol, local_at(alice, 3, "10:00"), status=Status.PENDING, service=asks
        ),
        "upcoming": make_booking(carol, local_at(alice, 3, "12:00"), service=pt),
        "started": make_booking(carol, now - timedelta(minutes=20), service=pt),
        "ended": make_booking(carol, now - timedelta(hours=3), service=pt),
        "cancelled": make_booking(
            carol, local_at(alice, 3, "14:00"), status=Status.CANCELLED, service=pt
        ),
    }
    make_service(bob)
    bookings["others"] = make_booking(make_client(bob, "Barry"), local_at(bob, 3, "10:00"))
    return bookings


def _target(action: str, trainer: Any) -> datetime:
    # 10:00 is inside alice's hours; 05:00 is before them.
    return local_at(trainer, 6, "05:00" if action != "reschedule" else "10:00")


def _page(client: Any, booking: Booking, action: str, trainer: Any) -> tuple[int, str, str]:
    base = f"/scheduling/bookings/{booking.pk}"
    if action == "cancel":
        response = client.post(f"{base}/cancel/", {"reason": "Ill"})
    elif action in MOVES:
        # The page takes the trainer's wall-clock time, as typed.
        data = {"start": _target(action, trainer).strftime("%Y-%m-%dT%H:%M")}
        if action == "reschedule_override":
            data["override_rules"] = "on"
        response = client.post(f"{base}/reschedule/", data)
    else:
        response = client.post(f"{base}/{action}/")
    if response.status_code == 404:
        return 404, "not_found", ""
    levels = [(m.level, m.message) for m in get_messages(response.wsgi_request)]
    assert response.status_code == 302
    assert len(levels) == 1
    level, text = levels[0]
    return 302, "allowed" if level == constants.SUCCESS else "refused", text


def _calendar(client: Any, booking: Booking, action: str, trainer: Any) -> tuple[int, str, str]:
    body = {"start": _target(action, trainer).isoformat()}
    if action == "reschedule_override":
        body["override_rules"] = True
    response = client.post(
        f"/scheduling/bookings/{booking.pk}/move/", body, content_type="application/json"
    )
    if response.status_code == 404:
        return 404, "not_found", ""
    verdict = "allowed" if response.status_code == 200 else "refused"
    return response.status_code, verdict, "" if verdict == "allowed" else response.json()["detail"]


def _api(api: Any, booking: Booking, action: str, trainer: Any) -> tuple[int, str, str]:
    base = f"/api/v1/bookings/{booking.pk}"
    path = {"no_show": "no-show"}.get(action, action)
    if action == "cancel":
        response = api.post(f"{base}/cancel", {"reason": "Ill"}, format="json")
    elif action in MOVES:
        body = {
            "start": _target(action, trainer).isoformat(),
            "override_rules": action == "reschedule_override",
        }
        response = api.post(f"{base}/reschedule", body, format="json")
    else:
        response = api.post(f"{base}/{path}", {}, format="json")
    if response.status_code == 404:
        return 404, "not_found", ""
    verdict = "allowed" if response.status_code == 200 else "refused"
    return response.status_code, verdict, "" if verdict == "allowed" else response.json()["detail"]


def _run(surface: Any, booking: Booking, action: str, trainer: Any) -> Outcome:
    """The outcome of one surface, rolled back afterwards so the next starts from the same
    row."""
    with transaction.atomic():
        code, verdict, detail = surface(booking, action, trainer)
        row = Booking.objects.get(pk=booking.pk)
        outcome = Outcome(verdict, code, detail, row.status, row.start)
        transaction.set_rollback(True)
    return outcome


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", list(ALLOWED))
def test_page_calendar_and_api_give_the_same_verdict(
    action, state, setting, alice, client, alice_api
):
    client.force_login(alice)
    booking = setting[state]
    before = Booking.objects.get(pk=booking.pk)
    surfaces = {
        "page": lambda b, a, t: _page(client, b, a, t),
        "api": lambda b, a, t: _api(alice_api, b, a, t),
    }
    if action in MOVES:
        surfaces["calendar"] = lambda b, a, t: _calendar(client, b, a, t)
    outcomes = {name: _run(surface, booking, action, alice) for name, surface in surfaces.items()}

    expected = (
        "not_found" if state == "others" else "allowed" if state in ALLOWED[action] else "refused"
    )
    assert {name: o.verdict for name, o in outcomes.items()} == dict.fromkeys(surfaces, expected)
    if expected == "not_found":
        assert {o.code for o in outcomes.values()} == {404}
    if expected == "refused":
        right = {"page": 302, "api": 409, "calendar": 409}
        assert {name: o.code for name, o in outcomes.items()} == {n: right[n] for n in surfaces}
        assert len({o.detail for o in outcomes.values()}) == 1  # the service's own words
        assert outcomes["api"].detail
    changed = {(o.status, o.start) for o in outcomes.values()}
    assert len(changed) == 1  # the same row afterwards, whichever surface acted
    status, start = changed.pop()
    if expected == "allowed" and action in MOVES:
        assert (status, start) == (before.status, _target(action, alice))
    elif expected == "allowed":
        assert (status, start) == (AFTER[action], before.start)
    else:
        assert (status, start) == (before.status, before.start)


@pytest.mark.parametrize(
    "case, override, expected",
    [
        ("outside the hours", True, "allowed"),
        ("outside the hours", False, "refused"),
        ("over another booking", True, "refused"),
        ("in the past", True, "refused"),
    ],
)
def test_booking_by_hand_gives_the_same_verdict_on_the_page_and_the_api(
    case, override, expected, setting, alice, client, alice_api
):
    client.force_login(alice)
    carol = setting["upcoming"].client
    service = setting["upcoming"].service
    start = {
        "outside the hours": local_at(alice, 7, "05:00"),
        "over another booking": setting["upcoming"].start,
        "in the past": local_at(alice, -2, "10:00"),
    }[case]
    count = Booking.objects.count()

    def page() -> tuple[int, str]:
        data = {
            "client": carol.pk,
            "service": service.pk,
            "start": start.astimezone(zone(alice.timezone)).strftime("%Y-%m-%dT%H:%M"),
        }
        if override:
            data["override_rules"] = "on"
        response = client.post("/scheduling/bookings/new/", data)
        if response.status_code != 400:
            return response.status_code, ""
        return 400, " ".join(response.context["form"].errors["start"])

    def api() -> tuple[int, str]:
        body = {
            "client": carol.pk,
            "service": service.pk,
            "start": start.isoformat(),
            "override_rules": override,
        }
        response = alice_api.post("/api/v1/bookings/", body, format="json")
        return response.status_code, response.json().get("detail", "")

    outcomes = {}
    for name, surface in (("page", page), ("api", api)):
        with transaction.atomic():
            code, detail = surface()
            outcomes[name] = (code, detail, Booking.objects.count() - count)
            transaction.set_rollback(True)
    if expected == "allowed":
        assert outcomes["page"][::2] == (302, 1)
        assert outcomes["api"][::2] == (201, 1)
    else:
        assert outcomes["page"][::2] == (400, 0)
        assert outcomes["api"][::2] == (409, 0)
        assert outcomes["page"][1] == outcomes["api"][1] != ""
