"""Where insights keeps a client's data: the assistant's log can name them in a question or
an answer. Erasing a client deletes the logged questions that mention them."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from trainerhub.clients.privacy import Holder, Subject, holder_add


def _mentions(s: Subject) -> QuerySet[Any]:
    from trainerhub.insights.models import AssistantQuestion

    words = [w for w in (s.full_name, s.client.first_name, *s.emails) if len(w) > 2]
    match = Q(pk__in=[])
    for word in words:
        for column in ("question", "understood", "sql", "detail", "rows"):
            match |= Q(**{f"{column}__icontains": word})
    return AssistantQuestion.objects.filter(match, trainer_id=s.client.trainer_id)


def _delete(rows: QuerySet[Any], s: Subject) -> int:
    count, _ = rows.delete()
    return int(count)


def register() -> None:
    holder_add(
        Holder(
            "insights.AssistantQuestion",
            personal=("question", "understood", "sql", "detail", "columns", "rows"),
            other_text=("source", "outcome"),
            erase="delete",
            rows=_mentions,
            eraser=_delete,
            not_exported="the trainer's own questions about the practice, not the client's data",
        )
    )
