"""The assistant's log: every question the trainer asked, what it was understood as, the
query that ran (or why none did) and the answer, for the trainer to see."""

from __future__ import annotations

from django.db import models

from trainerhub.core.tenancy import TrainerOwned


class AssistantQuestion(TrainerOwned):
    class Source(models.TextChoices):
        PATTERN = "pattern", "Built-in question"
        MODEL = "model", "Model"
        NONE = "none", "Not understood"

    class Outcome(models.TextChoices):
        ANSWERED = "answered", "Answered"
        REFUSED = "refused", "Query refused"
        FAILED = "failed", "Query failed"
        NOT_UNDERSTOOD = "not_understood", "Not understood"

    question = models.CharField(max_length=500)
    source = models.CharField(max_length=10, choices=Source.choices)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    understood = models.CharField(max_length=300, blank=True)
    sql = models.TextField(max_length=8000, blank=True)
    detail = models.CharField(max_length=500, blank=True)
    # The answer as shown: its columns and at most the first ANSWER_ROWS rows.
    columns = models.JSONField(default=list, blank=True)
    rows = models.JSONField(default=list, blank=True)
    row_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    ANSWER_ROWS = 200

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["trainer", "-created_at"], name="assistant_trainer_recent")]
