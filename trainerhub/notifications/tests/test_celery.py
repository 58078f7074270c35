"""The Celery path: a real worker process on Redis (REDIS_TEST_URL, default db 15) sends a
message written by a booking. Redis unreachable is a failure, never a skip."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
import redis

from config.celery import app
from trainerhub.notifications.models import Kind, Notification
from trainerhub.notifications.tests.conftest import make_booking
from trainerhub.notifications.tests.workers import ROOT, worker_env

pytestmark = pytest.mark.django_db(transaction=True)

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def broker():
    try:
        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        pytest.fail(
            f"The Celery test needs Redis at {REDIS_TEST_URL} (set REDIS_TEST_URL): {exc}",
            pytrace=False,
        )
    queue = f"notify-test-{os.getpid()}-{time.monotonic_ns()}"
    saved = {k: app.conf.get(k) for k in ("broker_url", "task_routes")}
    app.conf.update(broker_url=REDIS_TEST_URL, task_routes={"notifications.*": {"queue": queue}})
    yield queue
    app.conf.update(**saved)


def test_celery_worker_dispatches_a_booking_message(
    settings, smtp, broker, alice, carol, pt, in_three_days
):
    settings.TASK_BACKEND = "celery"
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config.celery",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "-Q",
            broker,
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=worker_env(smtp.port, REDIS_URL=REDIS_TEST_URL, TASK_BACKEND="celery"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        # The booking's commit enqueues notifications.dispatch_due on the test queue.
        make_booking(alice, carol, pt, in_three_days)
        deadline = time.monotonic() + 90
        while len(smtp) == 0 and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.5)
    finally:
        worker.terminate()
        output, _ = worker.communicate(timeout=30)
    assert len(smtp) == 1, f"no email from the Celery worker; its output:\n{output}"
    assert smtp.messages[0]["To"] == "carol@example.com"
    row = Notification.objects.get(kind=Kind.BOOKING_CONFIRMED)
    assert row.status == "sent"


def test_beat_schedule_runs_the_sweep_and_dispatcher_every_minute():
    schedule = app.conf.beat_schedule
    tasks = {entry["task"]: entry["schedule"] for entry in schedule.values()}
    assert tasks["notifications.dispatch_due"] == 60.0
    assert tasks["notifications.reminder_sweep"] == 60.0
    from trainerhub.notifications import tasks as task_module

    assert task_module.dispatch_due_task.name in app.tasks
