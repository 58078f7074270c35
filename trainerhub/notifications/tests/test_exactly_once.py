"""Exactly once: a worker killed between send and mark, two workers at once, real processes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from trainerhub.notifications.dispatcher import claim_due, dispatch_due
from trainerhub.notifications.models import Kind, Notification
from trainerhub.notifications.tests.conftest import make_booking, make_client
from trainerhub.notifications.tests.workers import run_worker, start_worker

pytestmark = pytest.mark.django_db(transaction=True)


def test_worker_killed_after_send_never_sends_twice(smtp, alice, carol, pt, in_three_days):
    make_booking(alice, carol, pt, in_three_days)
    row = Notification.objects.get(kind=Kind.BOOKING_CONFIRMED)

    crashed = run_worker(smtp.port, TRAINERHUB_CRASH_AFTER_SEND="1")

    assert crashed.returncode == 17, crashed.stderr
    assert len(smtp) == 1
    row.refresh_from_db()
    assert row.status == "sending"
    assert row.attempt_rows.get().outcome == "in_flight"
    # A restarted worker, at once and after the lease: the message is not sent again.
    assert run_worker(smtp.port).returncode == 0
    dispatch_due(now=timezone.now() + timedelta(minutes=10))
    assert run_worker(smtp.port).returncode == 0
    assert len(smtp) == 1
    row.refresh_from_db()
    assert row.status == "unknown"
    assert "not sent again" in row.last_error
    assert smtp.messages[0]["To"] == "carol@example.com"


def test_row_claimed_but_never_handed_over_is_sent_once_after_the_lease(
    smtp, alice, carol, pt, in_three_days
):
    make_booking(alice, carol, pt, in_three_days)
    (claimed,) = claim_due(now=timezone.now(), worker="dead-worker")  # then "died"
    assert run_worker(smtp.port).returncode == 0
    assert len(smtp) == 0  # still leased to the dead worker
    later = timezone.now() + timedelta(minutes=6)
    dispatch_due(now=later)
    dispatch_due(now=later)
    assert len(smtp) == 1
    assert Notification.objects.get(pk=claimed).status == "sent"


def test_two_concurrent_workers_send_each_message_once(smtp, alice, pt, in_three_days):
    count = 24
    for i in range(count):
        client = make_client(alice, first_name=f"C{i}", email=f"c{i}@example.com")
        make_booking(alice, client, pt, in_three_days + timedelta(hours=i))
    workers = [start_worker(smtp.port, "--batch", "2") for _ in range(2)]
    outputs = [w.communicate(timeout=120) for w in workers]

    assert [w.returncode for w in workers] == [0, 0], outputs
    recipients = sorted(rcpt for _, rcpts, _ in smtp.envelopes for rcpt in rcpts)
    assert recipients == sorted(f"c{i}@example.com" for i in range(count))
    rows = Notification.objects.filter(kind=Kind.BOOKING_CONFIRMED)
    assert set(rows.values_list("status", flat=True)) == {"sent"}
    assert all(r.attempt_rows.count() == 1 for r in rows)
    # Both workers took part (each claims 2 at a time).
    assert len(set(rows.values_list("claimed_by", flat=True))) == 2, outputs


def test_worker_loop_stops_gracefully_on_sigterm(smtp):
    import signal
    import subprocess
    import sys

    from trainerhub.notifications.tests.workers import ROOT, worker_env

    proc = subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--interval", "60"],
        cwd=ROOT,
        env=worker_env(smtp.port, PYTHONUNBUFFERED="1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert "Worker started" in proc.stdout.readline()
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)  # not the 60 s of its sleep
    assert proc.returncode == 0, err
    assert "Worker stopped." in out
