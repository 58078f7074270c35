"""Ask your practice: a pattern answers first; with a model configured, a checked query."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import DatabaseError
from django.db.models import QuerySet
from django.utils import timezone

from trainerhub.accounts.models import User
from trainerhub.core.errors import InvalidInput
from trainerhub.core.timezones import zone
from trainerhub.insights.assistant import model, patterns
from trainerhub.insights.models import AssistantQuestion

Outcome, Source = AssistantQuestion.Outcome, AssistantQuestion.Source
MAX_QUESTION = 500


def _cell(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode(errors="replace")
    return value


def _chart(columns: list[str], rows: list[list[Any]]) -> dict[str, Any] | None:
    """A bar chart when the answer is labels and one number (2 to 50 rows)."""
    if len(columns) != 2 or not 2 <= len(rows) <= 50:
        return None
    try:
        values = [float(r[1]) for r in rows]
    except (TypeError, ValueError):
        return None
    return {
        "type": "bar",
        "label": columns[1],
        "labels": [str(r[0]) for r in rows],
        "values": values,
    }


def ask(*, trainer: User, question: str, now: datetime | None = None) -> dict[str, Any]:
    """{understood, sql?, columns, rows, chart?, source, outcome, detail}; logged always."""
    question = " ".join((question or "").split())
    if not question:
        raise InvalidInput({"question": ["Type a question."]})
    if len(question) > MAX_QUESTION:
        raise InvalidInput({"question": [f"Ask in at most {MAX_QUESTION} characters."]})
    now = now or timezone.now()
    answer = patterns.understand(trainer, question, now=now)
    if answer is not None:
        body = {
            **answer.as_dict(),
            "source": Source.PATTERN,
            "outcome": Outcome.ANSWERED,
            "detail": "",
        }
        return _log(trainer, question, body)
    if not model.configured():
        body = {
            "understood": "",
            "columns": [],
            "rows": [],
            "source": Source.NONE,
            "outcome": Outcome.NOT_UNDERSTOOD,
            "detail": "I do not know that question yet; try one of the suggestions.",
        }
        return _log(trainer, question, body)
    return _log(trainer, question, _ask_model(trainer, question, now))


def _ask_model(trainer: User, question: str, now: datetime) -> dict[str, Any]:
    # Imported here: sqlglot is 13 MB in every web process, and only a question for the
    # model parses SQL (an install without a model never loads it).
    from trainerhub.insights.assistant import guard

    base: dict[str, Any] = {
        "understood": question,
        "columns": [],
        "rows": [],
        "source": Source.MODEL,
    }
    try:
        sql = model.sql_for(
            question,
            today=now.astimezone(zone(trainer.timezone)).date().isoformat(),
            timezone=trainer.timezone,
        )
    except model.ModelError as error:
        return {**base, "outcome": Outcome.FAILED, "detail": str(error)}
    if sql is None:
        return {
            **base,
            "outcome": Outcome.NOT_UNDERSTOOD,
            "detail": "Your data cannot answer that question.",
        }
    base["sql"] = sql
    try:
        checked = guard.check(sql)
    except guard.Refused as refused:
        return {**base, "outcome": Outcome.REFUSED, "detail": f"The query was not run: {refused}"}
    try:
        columns, rows, truncated = guard.run(checked, trainer_id=trainer.pk)
    except DatabaseError as error:
        return {
            **base,
            "outcome": Outcome.FAILED,
            "detail": f"The query failed: {str(error)[:200]}",
        }
    cells = [[_cell(c) for c in row] for row in rows]
    body = {**base, "columns": columns, "rows": cells, "outcome": Outcome.ANSWERED}
    body["detail"] = f"Only the first {guard.MAX_ROWS} rows are shown." if truncated else ""
    chart = _chart(columns, cells)
    if chart:
        body["chart"] = chart
    return body


def _log(trainer: User, question: str, body: dict[str, Any]) -> dict[str, Any]:
    row = AssistantQuestion.objects.create(
        trainer=trainer,
        question=question,
        source=body["source"],
        outcome=body["outcome"],
        understood=str(body.get("understood", ""))[:300],
        sql=str(body.get("sql") or "")[:8000],
        detail=str(body.get("detail", ""))[:500],
        columns=body["columns"],
        rows=body["rows"][: AssistantQuestion.ANSWER_ROWS],
        row_count=len(body["rows"]),
    )
    return {"id": row.pk, **body}


def history(*, trainer: User) -> QuerySet[AssistantQuestion]:
    return AssistantQuestion.objects.filter(trainer_id=trainer.pk).order_by("-created_at", "-id")


def history_item(row: AssistantQuestion) -> dict[str, Any]:
    return {
        "id": row.pk,
        "asked_at": row.created_at.isoformat(),
        "question": row.question,
        "understood": row.understood,
        "source": row.source,
        "outcome": row.outcome,
        "sql": row.sql or None,
        "detail": row.detail,
        "columns": row.columns,
        "rows": row.rows,
        "row_count": row.row_count,
    }
