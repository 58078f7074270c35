"""The operator's OpenAI-compatible chat completions endpoint, asked for one SQL query.

Configured by ASSISTANT_API_BASE (e.g. https://api.openai.com/v1), ASSISTANT_API_KEY and
ASSISTANT_MODEL, as settings or environment variables. Without a base and a model the
assistant answers only its patterns. Whatever comes back is checked by guard.check.
"""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings

from trainerhub.insights.assistant.catalog import DOCS

TIMEOUT_S = 20
PROMPT = (
    "You turn a fitness trainer's question about their own practice into ONE read-only "  # noqa: S608 - the model's instructions, not a query
    "SQL SELECT (PostgreSQL dialect) over these views and nothing else:\n"
    f"{DOCS}\n"
    "Rules: a single SELECT, no WITH, no comments, no other tables, only simple functions "
    "(count, sum, avg, min, max, coalesce, lower, upper, round, extract, date_trunc, cast, "
    "case). Name the output columns with readable aliases. Answer with the SQL only. If the "
    "question cannot be answered from these views, answer exactly: NO_QUERY"
)


def _setting(name: str) -> str:
    return str(getattr(settings, name, "") or os.environ.get(name, "") or "")


def configured() -> bool:
    return bool(_setting("ASSISTANT_API_BASE") and _setting("ASSISTANT_MODEL"))


class ModelError(Exception):
    pass


def sql_for(question: str, *, today: str, timezone: str) -> str | None:
    """The model's SQL for the question (None: it says the views cannot answer it)."""
    body = {
        "model": _setting("ASSISTANT_MODEL"),
        "temperature": 0,
        "messages": [
            {
                "role": "system",
                "content": PROMPT + f"\nToday is {today}; the trainer's zone is {timezone}.",
            },
            {"role": "user", "content": question},
        ],
    }
    url = _setting("ASSISTANT_API_BASE").rstrip("/") + "/chat/completions"
    headers = {"Content-Type": "application/json"}
    key = _setting("ASSISTANT_API_KEY")
    if key:
        headers["Authorization"] = f"Bearer {key}"
    request = urllib.request.Request(url, json.dumps(body).encode(), headers, method="POST")  # noqa: S310 - the operator's https URL
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:  # noqa: S310
            payload: Any = json.loads(response.read(2_000_000))
        content = str(payload["choices"][0]["message"]["content"] or "")
    except (
        urllib.error.URLError,
        TimeoutError,
        OSError,
        ValueError,
        KeyError,
        IndexError,
        TypeError,
    ) as error:
        raise ModelError(
            f"The assistant's model did not answer ({type(error).__name__})."
        ) from None
    text = content.strip()
    fenced = re.search(r"```(?:sql)?\s*(.*?)```", text, re.S | re.I)
    if fenced:
        text = fenced.group(1).strip()
    if text.upper().startswith("NO_QUERY"):
        return None
    return text
