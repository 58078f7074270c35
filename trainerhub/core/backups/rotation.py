"""The daily backup `make run`'s worker keeps of the embedded (SQLite) database.

At most one a UTC day in `$DATA_DIR/backups/daily/`, pruned to the 7 newest (the dailies) and,
before those, the newest of each of the 4 latest ISO weeks (the weeklies): about five weeks
back at the cost of 11 archives. Backups made by hand (`manage.py backup`) sit one folder up
and are never pruned. PostgreSQL installations back up with their own tooling (pg_dump from
cron, the provider's snapshots), so the worker leaves them alone.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from trainerhub.core.backups import backup_name, create_backup

logger = logging.getLogger(__name__)

KEEP_DAILY = 7
KEEP_WEEKLY = 4
_NAME = re.compile(r"^trainerhub-(\d{8}T\d{6}Z)\.tar\.gz$")


def daily_folder() -> Path:
    return Path(settings.DATA_DIR) / "backups" / "daily"


def existing(folder: Path) -> dict[datetime, Path]:
    """The rotation's archives by their UTC time (other files in the folder are ignored)."""
    found = {}
    for path in folder.glob("trainerhub-*.tar.gz") if folder.is_dir() else []:
        match = _NAME.match(path.name)
        if match:
            found[datetime.strptime(match[1], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)] = path
    return found


def to_keep(stamps: list[datetime]) -> set[datetime]:
    """The 7 newest, plus the newest of each of the 4 latest ISO weeks older than the week
    of the oldest daily (so a weekly never sits among the dailies)."""
    newest_first = sorted(stamps, reverse=True)
    dailies = newest_first[:KEEP_DAILY]
    if not dailies:
        return set()
    boundary = dailies[-1].isocalendar()[:2]
    weeklies: dict[tuple[int, int], datetime] = {}
    for stamp in newest_first[KEEP_DAILY:]:
        week = stamp.isocalendar()[:2]
        if week < boundary and week not in weeklies and len(weeklies) < KEEP_WEEKLY:
            weeklies[week] = stamp
    return set(dailies) | set(weeklies.values())


def daily_if_due(now: datetime) -> Path | None:
    """Make today's (UTC) backup unless there is one; prune. The new archive, or None."""
    now = now.astimezone(UTC)
    folder = daily_folder()
    archives = existing(folder)
    made = None
    if not any(stamp.date() == now.date() for stamp in archives):
        made = create_backup(folder / backup_name(now), now=now).path
        archives[now.replace(microsecond=0)] = made
    keep = to_keep(list(archives))
    for stamp, path in archives.items():
        if stamp not in keep:
            path.unlink(missing_ok=True)
    return made


def daily_backup_in_worker(now: datetime, *, using: str = DEFAULT_DB_ALIAS) -> Path | None:
    """The worker's call: SQLite only, and a failure is logged loudly but never raised, so
    reminders keep going out while someone fixes the disk."""
    if connections[using].vendor != "sqlite" or not settings.BACKUP_DAILY:
        return None
    try:
        return daily_if_due(now)
    except Exception as exc:
        logger.exception(
            "DAILY BACKUP FAILED: %s. No backup of the database was made today; the worker "
            "keeps running and tries again on its next pass.",
            exc,
            extra={"event": "backup.daily_failed", "folder": str(daily_folder())},
        )
        return None
