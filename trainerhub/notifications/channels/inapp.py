"""In-app: a line in the trainer's notification centre (a database row, always on)."""

from __future__ import annotations


def is_configured() -> bool:
    return True


def why_off() -> str:
    return ""
