"""Booking with a credit: the booking events reserve, release, consume and forfeit in the
same transaction; every refusal names why (409 no_credits / package_expired /
package_not_valid) with the same verdict on the service and the trainer's API, and nothing
of the booking is written."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine

from trainerhub.core.errors import Conflict, InvalidInput
from trainerhub.core.tests.factories import local_at, make_client, make_service
from trainerhub.packages import selectors, services
from trainerhub.packages.models import LedgerEntry
from trainerhub.packages.tests.factories import make_package, sell
from trainerhub.scheduling import services as scheduling
from trainerhub.scheduling.models import Booking
from trainerhub.scheduling.purchase import Purchase

NOW = datetime.fromisoformat("2026-03-02T08:00:00+00:00")


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _kinds(cp):
    return list(
        LedgerEntry.objects.filter(client_package=cp).order_by("id").values_list("kind", "sessions")
    )


def book(client, service, start, cp_pk, surface, api=None):
    """Book on one surface; answer (booking id or None, refusal code or None)."""
    if surface == "service":
        try:
            booking = scheduling.booking_create(
                trainer=client.trainer,
                client=client,
                service=service,
                start=start,
                purchase=Purchase(client_package=cp_pk),
            )
        except Conflict as refusal:
            return None, refusal.code
        except InvalidInput as bad:
            return None, f"400:{bad.field}"
        return booking.pk, None
    answer = api.post(
        "/api/v1/bookings/",
        {
            "client": client.pk,
            "service": service.pk,
            "start": start.isoformat(),
            "client_package": cp_pk,
        },
        format="json",
    )
    if answer.status_code == 201:
        return answer.json()["id"], None
    if answer.status_code == 409:
        return None, answer.json()["code"]
    assert answer.status_code == 400, answer.content
    return None, "400:" + next(iter(answer.json()))


SURFACES = ["service", "api"]


@pytest.mark.parametrize("surface", SURFACES)
def test_a_booking_takes_one_credit(surface, chris, pt, alice_api):
    cp = sell(chris)
    pk, code = book(chris, pt, local_at(chris.trainer, 2, "10:00"), cp.pk, surface, alice_api)
    assert code is None
    assert services.balance_of(cp) == 9
    assert _kinds(cp) == [("grant", 10), ("reserve", -1)]
    assert LedgerEntry.objects.get(kind="reserve").booking_id == pk
    assert selectors.covered_booking_ids(chris.trainer_id, [pk]) == {pk}


def _expired(chris, pt):
    return sell(chris, make_package(chris.trainer, valid_days=1))  # last day: 3 March


def _used_up(chris, pt):
    cp = sell(chris)
    services.client_package_adjust(client_package=cp, sessions=-10, reason="Used")
    return cp


def _refunded(chris, pt):
    return services.client_package_refund(client_package=sell(chris))


def _other_clients(chris, pt):
    return sell(make_client(chris.trainer, "Dana"))


def _other_service(chris, pt):
    yoga = make_service(chris.trainer, name="Yoga")
    return sell(chris, make_package(chris.trainer, services=[yoga.pk]))


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize(
    ("make", "code"),
    [
        (_expired, "package_expired"),
        (_used_up, "no_credits"),
        (_refunded, "package_not_valid"),
        (_other_clients, "package_not_valid"),
        (_other_service, "package_not_valid"),
    ],
)
def test_each_refusal_names_why_and_writes_nothing(surface, make, code, chris, pt, alice_api):
    cp = make(chris, pt)
    before = _kinds(cp)
    pk, refusal = book(chris, pt, local_at(chris.trainer, 5, "10:00"), cp.pk, surface, alice_api)
    assert (pk, refusal) == (None, code)
    assert not Booking.objects.exists()
    assert _kinds(cp) == before


@pytest.mark.parametrize("surface", SURFACES)
def test_another_trainers_package_is_unknown(surface, chris, pt, bob, alice_api):
    bobs = sell(make_client(bob, "Bea"))
    pk, refusal = book(chris, pt, local_at(chris.trainer, 2, "10:00"), bobs.pk, surface, alice_api)
    assert (pk, refusal) == (None, "400:client_package")
    assert not Booking.objects.exists()


def _booked(chris, pt, cp, days=2):
    return scheduling.booking_create(
        trainer=chris.trainer,
        client=chris,
        service=pt,
        start=local_at(chris.trainer, days, "10:00"),
        purchase=Purchase(client_package=cp.pk),
    )


@pytest.mark.parametrize(
    ("late", "policy", "kind", "balance"),
    [
        (False, True, "release", 10),
        (True, True, "forfeit", 9),
        (True, False, "release", 10),
    ],
)
def test_cancelling(chris, pt, late, policy, kind, balance):
    services.package_settings_update(
        trainer=chris.trainer, late_cancel_forfeits=policy, no_show_forfeits=True
    )
    cp = sell(chris)
    booking = _booked(chris, pt, cp)
    scheduling.booking_cancel(booking=booking, actor="trainer", late=late)
    assert _kinds(cp)[-1][0] == kind
    assert services.balance_of(cp) == balance
    assert selectors.covered_booking_ids(chris.trainer_id, [booking.pk]) == (
        set() if kind == "release" else {booking.pk}
    )


@pytest.mark.parametrize(
    ("verb", "policy", "kind", "balance"),
    [
        ("complete", True, "consume", 9),
        ("no_show", True, "forfeit", 9),
        ("no_show", False, "release", 10),
    ],
)
def test_after_the_session(chris, pt, verb, policy, kind, balance):
    services.package_settings_update(
        trainer=chris.trainer, late_cancel_forfeits=True, no_show_forfeits=policy
    )
    cp = sell(chris)
    booking = _booked(chris, pt, cp)
    with time_machine.travel(booking.end + timedelta(minutes=5), tick=False):
        if verb == "complete":
            scheduling.booking_complete(booking=booking, actor="trainer")
        else:
            scheduling.booking_mark_no_show(booking=booking, actor="trainer")
    assert _kinds(cp)[-1] == (kind, 1 if kind == "release" else 0)
    assert services.balance_of(cp) == balance


def test_a_declined_request_gives_the_credit_back(chris):
    asks = make_service(chris.trainer, name="Asks", requires_confirmation=True)
    cp = sell(chris)
    booking = scheduling.booking_create(
        trainer=chris.trainer,
        client=chris,
        service=asks,
        start=local_at(chris.trainer, 2, "10:00"),
        source="client",
        purchase=Purchase(client_package=cp.pk),
    )
    assert booking.status == "pending"
    assert services.balance_of(cp) == 9
    scheduling.booking_decline(booking=booking, actor="trainer")
    assert services.balance_of(cp) == 10


def test_rescheduling_keeps_the_reservation_but_not_past_the_last_day(chris, pt, alice_api):
    cp = sell(chris, make_package(chris.trainer, valid_days=10))  # last day: 12 March
    booking = _booked(chris, pt, cp)
    scheduling.booking_reschedule(
        booking=booking, start=local_at(chris.trainer, 4, "11:00"), actor="trainer"
    )
    assert _kinds(cp) == [("grant", 10), ("reserve", -1)]
    answer = alice_api.post(
        f"/api/v1/bookings/{booking.pk}/reschedule",
        {"start": local_at(chris.trainer, 12, "11:00").isoformat()},
        format="json",
    )
    assert answer.status_code == 409
    assert answer.json()["code"] == "package_expired"
    booking.refresh_from_db()
    assert booking.start == local_at(chris.trainer, 4, "11:00")


@pytest.mark.parametrize("all_or_nothing", [True, False])
def test_a_series_reserves_one_credit_per_occurrence(chris, pt, alice_api, all_or_nothing):
    cp = sell(chris)
    services.client_package_adjust(client_package=cp, sessions=-8, reason="Two left")
    answer = alice_api.post(
        "/api/v1/bookings/recurring",
        {
            "client": chris.pk,
            "service": pt.pk,
            "start": local_at(chris.trainer, 1, "10:00").isoformat(),
            "count": 3,
            "all_or_nothing": all_or_nothing,
            "client_package": cp.pk,
        },
        format="json",
    )
    if all_or_nothing:
        assert answer.status_code == 409
        assert [r["code"] for r in answer.json()["refused"]] == ["no_credits"]
        assert not Booking.objects.exists()
        assert services.balance_of(cp) == 2
    else:
        assert answer.status_code == 201, answer.json()
        assert Booking.objects.count() == 2
        assert services.balance_of(cp) == 0


def test_a_group_session_reserves_per_attendee(open_alice):
    group = make_service(open_alice, name="Group", capacity=4)
    start = local_at(open_alice, 2, "10:00")
    packages = []
    for name in ("Ann", "Ben"):
        client = make_client(open_alice, name)
        cp = sell(client, make_package(open_alice, name=f"{name}'s"))
        scheduling.booking_create(
            trainer=open_alice,
            client=client,
            service=group,
            start=start,
            purchase=Purchase(client_package=cp.pk),
        )
        packages.append(cp)
    assert [services.balance_of(cp) for cp in packages] == [9, 9]
    assert Booking.objects.values("session").distinct().count() == 1


def test_the_booking_forms_offer_the_usable_packages(chris, pt):
    from trainerhub.scheduling.package_choices import choices_for

    good = sell(chris)
    _used_up(chris, pt)
    _other_service(chris, pt)
    choices = choices_for(chris, pt)
    assert [(c.id, c.sessions_remaining) for c in choices] == [(good.pk, 10)]
    assert choices[0].label == "Ten sessions — 10 of 10 left, until 31 May 2026"
    assert choices_for(None, pt) == []


def _form(chris, pt, cp_pk):
    start = local_at(chris.trainer, 2, "10:00")
    return {
        "client": chris.pk,
        "service": pt.pk,
        "start": start.strftime("%Y-%m-%dT%H:%M"),
        "client_package": cp_pk,
    }


def test_the_booking_form_offers_and_takes_a_credit(alice_web, chris, pt):
    cp = sell(chris)
    block = alice_web.get(
        "/scheduling/bookings/new/price/", {"client": chris.pk, "service": pt.pk}
    ).content.decode()
    assert 'name="client_package"' in block
    assert "Ten sessions — 10 of 10 left, until 31 May 2026" in block
    answer = alice_web.post("/scheduling/bookings/new/", _form(chris, pt, cp.pk))
    assert answer.status_code == 302
    assert services.balance_of(cp) == 9


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_used_up, "No credits left on this package."),
        (_expired, "This package expired on 03 Mar 2026 (before this session)."),
        (_other_service, "This package does not cover this service."),
    ],
)
def test_the_booking_form_shows_the_refusal_next_to_the_package(
    alice_web, chris, pt, make, message
):
    cp = make(chris, pt)
    answer = alice_web.post("/scheduling/bookings/new/", _form(chris, pt, cp.pk))
    assert answer.status_code == 400
    assert answer.context["form"].errors["client_package"] == [message]
    assert message in answer.content.decode()
    assert not Booking.objects.exists()
