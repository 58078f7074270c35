"""The periodic jobs the apps above the worker register: run by the worker's tick and by
Celery's task of the same work, each at its own interval, one failure never stopping others."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from trainerhub.core import periodic


@pytest.fixture
def jobs(monkeypatch):
    monkeypatch.setattr(periodic, "_jobs", {})
    return periodic


def test_a_job_runs_at_most_once_per_interval(jobs):
    runs: list[datetime | None] = []
    jobs.register("test.hourly", lambda now: runs.append(now) or 1, every=timedelta(hours=1))
    t0 = datetime(2030, 1, 1, 9, tzinfo=UTC)
    assert jobs.run_due(now=t0) == {"test.hourly": 1}
    assert jobs.run_due(now=t0 + timedelta(minutes=59)) == {}
    assert jobs.run_due(now=t0 + timedelta(hours=1)) == {"test.hourly": 1}
    assert runs == [t0, t0 + timedelta(hours=1)]


def test_a_failing_job_is_logged_and_the_others_still_run(jobs, caplog):
    def broken(now):
        raise RuntimeError("boom")

    jobs.register("test.broken", broken)
    jobs.register("test.fine", lambda now: 3)
    assert jobs.run_due(now=datetime(2030, 1, 1, tzinfo=UTC)) == {"test.fine": 3}
    assert "periodic job failed" in caplog.text


@pytest.mark.django_db
def test_the_worker_tick_runs_the_registered_jobs(jobs):
    from trainerhub.notifications.worker import tick

    seen: list[datetime | None] = []
    jobs.register("test.seen", lambda now: seen.append(now) or 0)
    moment = datetime(2030, 1, 1, 9, tzinfo=UTC)
    tick(now=moment)
    assert seen == [moment]


def test_celery_runs_the_same_jobs(jobs):
    from trainerhub.notifications.tasks import periodic_task

    jobs.register("test.celery", lambda now: 7)
    assert periodic_task.run() == {"test.celery": 7}
