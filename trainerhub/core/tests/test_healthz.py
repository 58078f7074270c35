"""/healthz: the database, the background worker's heartbeat and (when configured) Redis.

A fresh install whose worker has not passed yet is "starting" (200) for WORKER_STALE_SECONDS
after the web process started, then "never" (503); a worker whose last pass is older than that
is "stale" (503). The same rule holds for TASK_BACKEND=celery, whose beat-scheduled dispatch
task writes the heartbeat.
"""

import os
import socket
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection

from trainerhub.core import heartbeat

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now(monkeypatch):
    # The web process started an hour ago unless a test says otherwise.
    monkeypatch.setattr(heartbeat, "PROCESS_STARTED_AT", NOW - timedelta(hours=1))
    with time_machine.travel(NOW, tick=False):
        yield


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_ok_when_the_database_answers_and_the_worker_passed_recently(client):
    heartbeat.heartbeat_beat(now=NOW - timedelta(seconds=30))
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "worker": {"backend": "worker", "status": "ok", "last_pass": "2026-03-02T11:59:30+00:00"},
    }
    assert "no-cache" in response["Cache-Control"]


def test_a_worker_silent_for_longer_than_the_threshold_is_a_503_with_the_reason(client):
    heartbeat.heartbeat_beat(now=NOW - timedelta(seconds=121))
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["worker"]["status"] == "stale"
    assert body["reasons"] == ["the background worker's last pass was 121 s ago (limit 120 s)"]


def test_exactly_at_the_threshold_is_still_ok(client):
    heartbeat.heartbeat_beat(now=NOW - timedelta(seconds=120))
    assert client.get("/healthz").status_code == 200


def test_the_threshold_comes_from_worker_stale_seconds(client, settings):
    settings.WORKER_STALE_SECONDS = 600
    heartbeat.heartbeat_beat(now=NOW - timedelta(minutes=9))
    assert client.get("/healthz").json()["worker"]["status"] == "ok"


def test_a_fresh_install_is_starting_until_the_threshold_has_passed_since_start(
    client, monkeypatch
):
    monkeypatch.setattr(heartbeat, "PROCESS_STARTED_AT", NOW - timedelta(seconds=100))
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["worker"] == {
        "backend": "worker",
        "status": "starting",
        "last_pass": None,
    }


def test_a_worker_that_never_ran_is_a_503_once_the_grace_is_over(client, monkeypatch):
    monkeypatch.setattr(heartbeat, "PROCESS_STARTED_AT", NOW - timedelta(seconds=121))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"]["status"] == "never"
    assert response.json()["reasons"] == ["the background worker has not run yet (waited 120 s)"]


def test_with_celery_the_same_heartbeat_is_judged_and_named(client, settings):
    settings.TASK_BACKEND = "celery"
    heartbeat.heartbeat_beat(now=NOW - timedelta(minutes=5))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"]["backend"] == "celery"


def test_redis_is_reported_when_configured(client, settings):
    settings.REDIS_URL = REDIS_TEST_URL
    heartbeat.heartbeat_beat(now=NOW)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["redis"] == "ok"


def test_an_unreachable_redis_is_a_503_without_its_url(client, settings):
    settings.REDIS_URL = f"redis://:s3cret-pass@127.0.0.1:{_closed_port()}/0"
    heartbeat.heartbeat_beat(now=NOW)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["redis"].startswith("Error 111 connecting to 127.0.0.1:")
    assert body["reasons"] == [f"redis: {body['redis']}"]
    assert "s3cret-pass" not in response.content.decode()


def test_503_when_the_database_does_not_answer(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        from django.db.utils import OperationalError

        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "connection refused"}
