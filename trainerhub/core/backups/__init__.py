"""Backups that restore: the database and the uploaded files in one verified archive.

`create_backup` writes `trainerhub-<UTC timestamp>.tar.gz` (see `archive` for the layout);
`open_verified` checks an archive completely before anything is touched; `restore` replaces
the database and the media folder with it and migrates. The `backup` and `restore` management
commands only call these; `rotation.daily_if_due` is what the worker runs once a day.
"""

from __future__ import annotations

import importlib.metadata
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from io import TextIOBase
from pathlib import Path
from typing import Any

import django
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone
from django.utils.module_loading import import_string

from trainerhub.core.backups import archive, databases
from trainerhub.core.backups.errors import BackupError

__all__ = ["BackupError", "create_backup", "open_verified", "restore"]


@dataclass(frozen=True)
class Backup:
    path: Path
    manifest: dict[str, Any]


@dataclass(frozen=True)
class Verified:
    """An archive whose every file matched its manifest, extracted into `staging`."""

    path: Path
    manifest: dict[str, Any]
    staging: Path


@dataclass(frozen=True)
class Comparison:
    table: str
    in_backup: int | None
    now: int | None


def backup_name(now: datetime) -> str:
    return f"trainerhub-{now.astimezone(UTC):%Y%m%dT%H%M%SZ}.tar.gz"


def default_path(now: datetime) -> Path:
    return Path(settings.DATA_DIR) / "backups" / backup_name(now)


def local_media_root() -> Path | None:
    """The folder uploads are stored in, or None when they live elsewhere (an S3 bucket)."""
    storage: dict[str, Any] = settings.STORAGES["default"]
    if not issubclass(import_string(storage["BACKEND"]), FileSystemStorage):
        return None
    return Path(storage.get("OPTIONS", {}).get("location") or settings.MEDIA_ROOT)


def _app_version() -> str:
    try:
        return importlib.metadata.version("trainerhub")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _media_facts(root: Path | None) -> dict[str, Any]:
    if root is None:
        return {
            "included": False,
            "note": "Uploaded files are stored in the S3 bucket and are NOT in this archive; "
            "back the bucket up with the provider's tools (versioning, replication).",
        }
    return {"included": True, "root": str(root)}


def create_backup(
    path: Path | None = None, *, now: datetime | None = None, using: str = DEFAULT_DB_ALIAS
) -> Backup:
    """Snapshot the database and the uploaded files into one archive at `path`."""
    now = now or timezone.now()
    dest = Path(path) if path else default_path(now)
    dest.parent.mkdir(parents=True, exist_ok=True)
    connection = connections[using]
    media_root = local_media_root()
    with tempfile.TemporaryDirectory(dir=dest.parent, prefix=".backup-") as work:
        dump_name = databases.DUMP_NAMES.get(connection.vendor, "database")
        dump_file = Path(work) / dump_name
        facts = databases.dump(connection, dump_file)
        entries = [archive.Entry(dump_name, dump_file)]
        entries += archive.media_entries(media_root) if media_root else []
        manifest = {
            "format_version": archive.FORMAT_VERSION,
            "created_at": now.astimezone(UTC).isoformat(),
            "app_version": _app_version(),
            "django_version": django.get_version(),
            "database": facts.as_json(dump_name),
            "media": _media_facts(media_root),
            "files": archive.describe(entries),
        }
        archive.write(dest, manifest, entries)
    return Backup(dest, manifest)


def _check_vendor(manifest: dict[str, Any], vendor: str) -> None:
    theirs = manifest["database"].get("vendor")
    if theirs != vendor:
        raise BackupError(
            f"This backup is of a {databases.VENDOR_NAMES.get(theirs, theirs)} database, but "
            f"this installation uses {databases.VENDOR_NAMES.get(vendor, vendor)}. Restore it "
            "into the same kind of database (nothing was changed)."
        )
    if manifest["database"].get("dump") != databases.DUMP_NAMES.get(vendor):
        raise BackupError("The backup's manifest names no database dump it could hold.")


@contextmanager
def open_verified(path: Path, *, using: str = DEFAULT_DB_ALIAS) -> Iterator[Verified]:
    """Check the archive completely (vendor, every file's size and sha256, the dump loads);
    yield it extracted into a staging folder, removed afterwards. Changes nothing else."""
    connection = connections[using]
    _check_vendor(archive.read_manifest(Path(path)), connection.vendor)
    # Staged next to the media folder, so swapping it in is a rename on one file system.
    parent = (local_media_root() or Path(settings.MEDIA_ROOT)).parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=parent, prefix=".trainerhub-restore-"))
    try:
        manifest = archive.extract_verified(Path(path), staging)
        _check_vendor(manifest, connection.vendor)
        databases.check_dump(connection, staging / manifest["database"]["dump"])
        yield Verified(Path(path), manifest, staging)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def restore(
    verified: Verified, *, using: str = DEFAULT_DB_ALIAS, stdout: TextIOBase | None = None
) -> list[Comparison]:
    """Replace the database and the media folder with the verified archive, then migrate.

    Returns every table's row count in the backup beside its count now (after migrating)."""
    connection = connections[using]
    databases.load(connection, verified.staging / verified.manifest["database"]["dump"])
    media_root = local_media_root()
    if media_root is not None and verified.manifest["media"].get("included"):
        _swap_media(verified.staging / "media", media_root)
    # An older backup restored into a newer TrainerHub is brought up to date here.
    call_command("migrate", interactive=False, database=using, verbosity=1, stdout=stdout)
    return compare_counts(verified.manifest, databases.live_row_counts(connection))


def compare_counts(manifest: dict[str, Any], now: dict[str, int]) -> list[Comparison]:
    before: dict[str, int] = manifest["database"]["row_counts"]
    return [Comparison(t, before.get(t), now.get(t)) for t in sorted(set(before) | set(now))]


def _swap_media(staged: Path, media_root: Path) -> None:
    staged.mkdir(exist_ok=True)
    old = staged.parent / "replaced-media"
    try:
        if media_root.exists():
            media_root.rename(old)
        staged.rename(media_root)
    except OSError:
        # A mount point cannot be renamed: replace its contents instead.
        media_root.mkdir(parents=True, exist_ok=True)
        for child in media_root.iterdir():
            shutil.rmtree(child) if child.is_dir() else child.unlink()
        shutil.copytree(staged, media_root, dirs_exist_ok=True)
