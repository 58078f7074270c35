"""The background worker's heartbeat: written after every pass, judged by `/healthz`.

`make run`'s worker and, with TASK_BACKEND=celery, the beat-scheduled dispatch task both call
`heartbeat_beat()`. `worker_health` is pure (plain values in, plain values out) so every case,
the fresh install included, is tested without a clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from trainerhub.core.models import Heartbeat

WORKER = "worker"

# When this web process started. A fresh install has no heartbeat yet; until the threshold has
# passed since start the worker is "starting" (200), after it "has not run yet" (503).
PROCESS_STARTED_AT = timezone.now()


@dataclass(frozen=True)
class WorkerHealth:
    ok: bool
    status: str  # "ok", "starting", "stale" or "never"
    last_pass: datetime | None
    reason: str = ""

    def as_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "status": self.status,
            "last_pass": self.last_pass.isoformat() if self.last_pass else None,
        }
        if self.reason:
            data["reason"] = self.reason
        return data


def heartbeat_beat(*, name: str = WORKER, now: datetime | None = None) -> None:
    Heartbeat.objects.update_or_create(name=name, defaults={"last_pass": now or timezone.now()})


def heartbeat_last(*, name: str = WORKER) -> datetime | None:
    return Heartbeat.objects.filter(name=name).values_list("last_pass", flat=True).first()


def worker_health(
    *, last_pass: datetime | None, now: datetime, started_at: datetime, stale_after: timedelta
) -> WorkerHealth:
    limit = int(stale_after.total_seconds())
    if last_pass is None:
        if now - started_at <= stale_after:
            return WorkerHealth(True, "starting", None)
        return WorkerHealth(
            False, "never", None, f"the background worker has not run yet (waited {limit} s)"
        )
    age = int((now - last_pass).total_seconds())
    if age > limit:
        return WorkerHealth(
            False,
            "stale",
            last_pass,
            f"the background worker's last pass was {age} s ago (limit {limit} s)",
        )
    return WorkerHealth(True, "ok", last_pass)
