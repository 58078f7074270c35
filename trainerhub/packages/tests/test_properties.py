"""Ledger properties: for any sequence of book / cancel (in time or late) / complete /
no-show / expire / adjust, the balance is the grants minus the entries that took credits,
never negative, equal to a replay of the ledger, and equal to what a plain model predicts."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trainerhub.core.errors import Conflict, InvalidInput
from trainerhub.core.tests.factories import local_at, make_client, make_service
from trainerhub.packages import selectors, services
from trainerhub.packages.models import LedgerEntry
from trainerhub.packages.tests.factories import make_package
from trainerhub.scheduling import services as scheduling
from trainerhub.scheduling.purchase import Purchase

pytestmark = pytest.mark.django_db

ops = st.lists(
    st.one_of(
        st.just(("book", 0)),
        st.tuples(
            st.sampled_from(["cancel", "cancel_late", "complete", "no_show"]), st.integers(0, 9)
        ),
        st.just(("expire", 0)),
        st.tuples(st.just("adjust"), st.integers(-4, 4).filter(bool)),
    ),
    max_size=14,
)
SLOTS = itertools.count()


@pytest.fixture
def world(open_alice):
    return open_alice, make_service(open_alice), make_package(open_alice, sessions_count=3)


def _slot(trainer):
    n = next(SLOTS)
    return local_at(trainer, 1 + n // 12, f"{8 + n % 12:02d}:00")


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=ops)
def test_the_balance_is_the_sum_of_the_ledger_and_never_negative(world, steps):
    trainer, service, package = world
    client = make_client(trainer, "Prop")
    cp = services.package_sell(trainer=trainer, package=package, client=client)
    expected = 3
    active = []
    for op, arg in steps:
        if op == "book":
            try:
                booking = scheduling.booking_create(
                    trainer=trainer,
                    client=client,
                    service=service,
                    start=_slot(trainer),
                    purchase=Purchase(client_package=cp.pk),
                )
            except Conflict as refusal:
                assert refusal.code == "no_credits"
                assert expected == 0
            else:
                assert expected >= 1
                expected -= 1
                active.append(booking)
        elif op in ("cancel", "cancel_late") and active:
            booking = active.pop(arg % len(active))
            scheduling.booking_cancel(booking=booking, actor="trainer", late=op == "cancel_late")
            expected += 1 if op == "cancel" else 0  # a late cancel forfeits by default
        elif op in ("complete", "no_show") and active:
            booking = active.pop(arg % len(active))
            with time_machine.travel(booking.end + timedelta(minutes=1), tick=False):
                if op == "complete":
                    scheduling.booking_complete(booking=booking, actor="trainer")
                else:
                    scheduling.booking_mark_no_show(booking=booking, actor="trainer")
        elif op == "expire":
            day_after = cp.expires_on + timedelta(days=1)
            services.expire_one(trainer_id=trainer.pk, pk=cp.pk, today=day_after)
            expected = 0
        elif op == "adjust":
            try:
                services.client_package_adjust(client_package=cp, sessions=arg, reason="Fix")
            except InvalidInput:
                assert expected + arg < 0
            else:
                expected += arg
        entries = list(LedgerEntry.objects.filter(client_package=cp).order_by("id"))
        grants = sum(e.sessions for e in entries if e.kind == "grant")
        given_back = sum(e.sessions for e in entries if e.kind != "grant" and e.sessions > 0)
        taken = -sum(e.sessions for e in entries if e.sessions < 0)
        balance = services.balance_of(cp)
        assert balance == expected
        assert balance >= 0
        assert balance == grants + given_back - taken
        assert balance == selectors.replay(entries)
        row = selectors.client_package_get_for_trainer(trainer=trainer, pk=cp.pk)
        assert row.sessions_remaining == balance
    # Every booking's credit is reserved once and closed at most once.
    entries = list(LedgerEntry.objects.filter(client_package=cp).order_by("id"))
    for booking_id in {e.booking_id for e in entries if e.booking_id}:
        kinds = [e.kind for e in entries if e.booking_id == booking_id]
        assert kinds[0] == "reserve"
        assert len(kinds) <= 2
