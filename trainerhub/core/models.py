"""The few rows the shared base keeps: the background worker's heartbeat.

It lives here, not in notifications, so `/healthz` (core) reads it without core importing an
app above it; the worker and the Celery tasks (notifications) write it.
"""

from __future__ import annotations

from django.db import models


class Heartbeat(models.Model):
    """The last time a background process finished a pass; one row per process kind."""

    name = models.CharField(max_length=32, primary_key=True)
    last_pass = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.last_pass.isoformat()}"
