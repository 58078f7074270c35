"""The claim fence: a worker that stalls past its lease can neither send nor record a row that
another worker recovered, and a slow but live send keeps its lease."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from trainerhub.notifications.dispatcher import (
    LOST,
    claim_due,
    deliver,
    dispatch_due,
    new_token,
)
from trainerhub.notifications.models import Kind, Notification
from trainerhub.notifications.tests.conftest import Inbox, free_port, make_booking, make_client
from trainerhub.notifications.tests.workers import start_worker

pytestmark = pytest.mark.django_db(transaction=True)

LEASE_SECONDS = 2


class StallingInbox(Inbox):
    """A mail server that holds the first message in DATA until every other message has
    arrived (the stalled worker's lease lapses meanwhile), at most `cap` seconds."""

    def __init__(self, others: int, cap: float = 90.0) -> None:
        super().__init__()
        self.others, self.cap = others, cap
        self.first_arrived_at: float | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.first_arrived_at is None:
            self.first_arrived_at = time.monotonic()
            deadline = self.first_arrived_at + self.cap
            while len(self) < self.others and time.monotonic() < deadline:
                await asyncio.sleep(0.1)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def stalling_smtp(settings):
    inbox = StallingInbox(others=3)
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    inbox.port = port  # type: ignore[attr-defined]
    yield inbox
    controller.stop()


def _wait_for_first_message(inbox: StallingInbox, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while inbox.first_arrived_at is None:
        assert time.monotonic() < deadline, "the first worker never reached the mail server"
        time.sleep(0.05)


def test_worker_stalled_past_its_lease_does_not_send_what_another_recovered(
    stalling_smtp, alice, pt, in_three_days
):
    for i in range(4):
        client = make_client(alice, first_name=f"C{i}", email=f"c{i}@example.com")
        make_booking(alice, client, pt, in_three_days + timedelta(hours=i))
    lease = {"NOTIFY_LEASE_SECONDS": str(LEASE_SECONDS)}
    # The first worker claims all four and stalls in the mail server's DATA on the first.
    first = start_worker(stalling_smtp.port, "--batch", "10", **lease)
    _wait_for_first_message(stalling_smtp)
    time.sleep(LEASE_SECONDS + 0.5)  # its claims on the three others have lapsed
    second = start_worker(stalling_smtp.port, "--batch", "10", **lease)
    outputs = [w.communicate(timeout=180) for w in (second, first)]

    assert [second.returncode, first.returncode] == [0, 0], outputs
    recipients = sorted(rcpt for _, rcpts, _ in stalling_smtp.envelopes for rcpt in rcpts)
    assert recipients == [f"c{i}@example.com" for i in range(4)]
    rows = Notification.objects.filter(kind=Kind.BOOKING_CONFIRMED)
    assert set(rows.values_list("status", flat=True)) == {"sent"}
    assert [r.attempt_rows.filter(outcome="ok").count() for r in rows] == [1, 1, 1, 1]
    # The slow send kept its lease: the second worker recovered the three rows never handed
    # over and did not give the first one up as "delivery unknown".
    assert "delivery unknown" not in outputs[0][1]
    stalled = rows.get(to_address="c0@example.com").claimed_by
    rescuers = set(rows.exclude(to_address="c0@example.com").values_list("claimed_by", flat=True))
    assert len(rescuers) == 1 and stalled not in rescuers


def test_deliver_under_a_lapsed_claim_sends_nothing(smtp, alice, carol, pt, in_three_days):
    make_booking(alice, carol, pt, in_three_days)
    stalled = new_token()
    (pk,) = claim_due(now=timezone.now(), worker="stalled", token=stalled)
    row = Notification.objects.get(pk=pk)
    # Its lease lapses; another worker recovers the row, claims it and sends it.
    later = timezone.now() + timedelta(minutes=6)
    assert dispatch_due(now=later).sent == 1

    assert deliver(row, now=timezone.now(), token=stalled, worker="stalled") == LOST
    assert len(smtp) == 1
    row.refresh_from_db()
    assert row.status == "sent"
    assert row.attempt_rows.count() == 1


def test_deliver_after_the_lease_lapsed_unrecovered_waits_for_recovery(
    smtp, alice, carol, pt, in_three_days
):
    make_booking(alice, carol, pt, in_three_days)
    token = new_token()
    (pk,) = claim_due(now=timezone.now(), worker="slow", token=token)
    row = Notification.objects.get(pk=pk)
    # The worker was paused longer than its lease; nobody has recovered the row yet.
    Notification.objects.filter(pk=pk).update(lease_until=timezone.now() - timedelta(seconds=1))

    assert deliver(row, now=timezone.now(), token=token, worker="slow") == LOST
    assert len(smtp) == 0
    assert dispatch_due().sent == 1  # recovered and sent once
    assert len(smtp) == 1


def test_recovery_gives_up_a_handed_over_row_but_its_slow_worker_records_the_send(
    smtp, alice, carol, pt, in_three_days
):
    make_booking(alice, carol, pt, in_three_days)
    token = new_token()
    (pk,) = claim_due(now=timezone.now(), worker="slow", token=token)
    row = Notification.objects.get(pk=pk)

    def another_worker_recovers(_row: Notification) -> None:
        dispatch_due(now=timezone.now() + timedelta(minutes=10))
        assert Notification.objects.get(pk=pk).status == "unknown"

    status = deliver(
        row, now=timezone.now(), token=token, worker="slow", after_send=another_worker_recovers
    )

    assert status == "sent"
    assert len(smtp) == 1
    row.refresh_from_db()
    assert (row.status, row.last_error) == ("sent", "")
    assert row.attempt_rows.get().outcome == "ok"
