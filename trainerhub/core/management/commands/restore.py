"""`manage.py restore PATH`: replace the database and the uploaded files with a backup.

The archive is checked completely (vendor, every file's sha256) before anything changes; then
the database and the media folder are replaced and `migrate` brings an older backup up to date.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from trainerhub.core.backups import (
    BackupError,
    Comparison,
    Verified,
    local_media_root,
    open_verified,
    restore,
)


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` (replaces the database and media)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", type=Path, help="The .tar.gz written by `manage.py backup`.")
        parser.add_argument("--database", default="default", help="Database alias to replace.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            "--yes",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args: Any, path: Path, database: str, interactive: bool, **opts: Any) -> None:
        try:
            with open_verified(path, using=database) as verified:
                self.stdout.write(self._summary(verified, database))
                if interactive and not self._confirmed():
                    raise CommandError("Restore cancelled; nothing was changed.")
                comparison = restore(verified, using=database, stdout=self.stdout)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self._report(comparison)

    def _summary(self, verified: Verified, database: str) -> str:
        manifest = verified.manifest
        target = connections[database].settings_dict["NAME"]
        lines = [
            f"Verified {verified.path}: {len(manifest['files'])} files match their sha256.",
            f"Made {manifest['created_at']} by TrainerHub {manifest['app_version']} "
            f"(Django {manifest['django_version']}, {manifest['database']['vendor']} "
            f"{manifest['database']['server_version']}).",
            f"This REPLACES the database {target}",
        ]
        if manifest["media"]["included"] and local_media_root() is None:
            lines.append("only: uploaded files are stored in S3 here, the archive's are skipped.")
        elif manifest["media"]["included"]:
            lines.append(f"and the uploaded files in {local_media_root()}.")
        else:
            lines.append(f"only; uploaded files are not in it: {manifest['media']['note']}")
        return "\n".join(lines)

    def _confirmed(self) -> bool:
        try:
            return input("Type 'yes' to continue: ").strip().lower() == "yes"
        except EOFError:  # no terminal (cron, a pipe): say how to run it unattended
            self.stdout.write("No answer on standard input; pass --yes to restore unattended.")
            return False

    def _report(self, comparison: list[Comparison]) -> None:
        differ = [c for c in comparison if c.in_backup != c.now]
        self.stdout.write(f"{'table':<48} {'backup':>8} {'now':>8}")
        for row in comparison:
            mark = "  <- differs" if row in differ else ""
            self.stdout.write(f"{row.table:<48} {row.in_backup!s:>8} {row.now!s:>8}{mark}")
        if differ:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(differ)} tables differ from the backup: migrations that ran after the "
                    "restore add or change rows (django_migrations at least)."
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS("Restored: every table has its backed-up rows."))
