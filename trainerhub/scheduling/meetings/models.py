"""The Zoom calls still to make: a queue the worker works through, with retries.

A booking never waits for Zoom: its transaction writes a task row and the worker's periodic
job (`tasks.run_due`) makes the call, so an outage delays the link, never the booking. Each
attempt is kept on the row (method, path, status code, time; never a token or a link)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from trainerhub.core.tenancy import TrainerOwned


class MeetingTask(TrainerOwned):
    class Action(models.TextChoices):
        CREATE = "create", "Create the meeting"
        UPDATE = "update", "Move the meeting"
        DELETE = "delete", "Delete the meeting"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DONE = "done", "Done"
        FAILED = "failed", "Given up"

    # Plain ids, not foreign keys: a delete outlives its booking's meeting fields.
    booking_id = models.PositiveBigIntegerField(db_index=True)
    session_id = models.PositiveBigIntegerField(null=True, blank=True)
    action = models.CharField(max_length=8, choices=Action.choices)
    meeting_id = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    log = models.JSONField(default=list, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["next_attempt_at", "id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="meetingtask_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.action} meeting of booking {self.booking_id}"


def task_add(
    *, trainer_id: int, booking_id: int, session_id: int | None, action: str, meeting_id: str = ""
) -> MeetingTask:
    """A task due now (the worker's next pass)."""
    return MeetingTask.objects.create(
        trainer_id=trainer_id,
        booking_id=booking_id,
        session_id=session_id,
        action=action,
        meeting_id=meeting_id,
    )
