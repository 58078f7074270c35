"""The built-in exercise library as rows: loaded by a data migration, kept in step by key."""

from __future__ import annotations

from typing import Any

from django.utils.text import slugify

from trainerhub.clients.search import normalise
from trainerhub.coaching.data.exercises import EXERCISES


def exercise_search_text(name: str) -> str:
    return normalise(name)[:300]


def _codes(text: str) -> str:
    values = text.split()
    return f",{','.join(values)}," if values else ""


def sync_builtin_exercises(model: Any) -> int:
    """Create or update every built-in exercise (trainer empty) by its key; the number
    written. Takes the model so the migration can pass its historical one."""
    existing = {e.key: e for e in model.objects.filter(trainer__isnull=True)}
    written = 0
    for row in EXERCISES:
        key = slugify(row.name)[:80]
        values = {
            "name": row.name,
            "category": row.category,
            "primary_muscles": _codes(row.primary),
            "secondary_muscles": _codes(row.secondary),
            "equipment": _codes(row.equipment),
            "difficulty": row.difficulty,
            "measurement": row.measurement,
            "instructions": row.instructions,
            "search_text": exercise_search_text(row.name),
        }
        current = existing.get(key)
        if current is None:
            model.objects.create(trainer=None, key=key, **values)
            written += 1
        elif any(getattr(current, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(current, k, v)
            current.save()
            written += 1
    return written
