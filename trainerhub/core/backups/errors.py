"""The one error of backups: its message is meant for the operator, as is."""

from __future__ import annotations


class BackupError(Exception):
    """A backup could not be made, or an archive may not be restored (and nothing changed)."""
