"""Each pass of the background worker, and of the Celery setup's dispatch task, leaves the
heartbeat /healthz judges (see trainerhub/core/tests/test_healthz.py)."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.utils import timezone

from trainerhub.core.heartbeat import heartbeat_last
from trainerhub.notifications.tasks import dispatch_due_task
from trainerhub.notifications.tests.workers import run_worker

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True)
def test_a_worker_pass_writes_the_heartbeat():
    # The real command in its own process (it closes connections and takes over signals).
    assert heartbeat_last() is None
    before = timezone.now()
    result = run_worker(smtp_port=9)  # nothing is due, so nothing is sent
    assert result.returncode == 0, result.stderr
    assert before <= heartbeat_last() <= timezone.now()


def test_the_celery_dispatch_task_writes_the_heartbeat():
    with time_machine.travel(NOW, tick=False):
        dispatch_due_task()
    assert heartbeat_last() == NOW
