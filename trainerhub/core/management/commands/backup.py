"""`manage.py backup [PATH]`: the database and the uploaded files in one verified archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from trainerhub.core.backups import BackupError, create_backup
from trainerhub.core.backups.databases import VENDOR_NAMES


class Command(BaseCommand):
    help = (
        "Write a consistent backup (database + uploaded files + manifest.json) to PATH, "
        "by default DATA_DIR/backups/trainerhub-<UTC timestamp>.tar.gz."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", nargs="?", type=Path, help="Where to write the .tar.gz.")
        parser.add_argument("--database", default="default", help="Database alias to back up.")

    def handle(
        self, *args: Any, path: Path | None = None, database: str = "default", **opts: Any
    ) -> None:
        try:
            backup = create_backup(path, using=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = backup.manifest
        db = manifest["database"]
        rows = sum(db["row_counts"].values())
        media = [name for name in manifest["files"] if name.startswith("media/")]
        self.stdout.write(
            f"Backed up the {VENDOR_NAMES[db['vendor']]} database "
            f"({len(db['row_counts'])} tables, {rows} rows)"
        )
        if manifest["media"]["included"]:
            self.stdout.write(f"and {len(media)} uploaded files from {manifest['media']['root']}")
        else:
            self.stdout.write(self.style.WARNING(manifest["media"]["note"]))
        self.stdout.write(self.style.SUCCESS(f"Wrote {backup.path}"))
