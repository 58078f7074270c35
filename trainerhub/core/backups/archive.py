"""The archive: one tar.gz with `manifest.json` first, then the database dump, then `media/...`.

Writing goes to a temporary file renamed into place, so a half-written archive never carries
the final name. Reading checks every member against the manifest (name, size, sha256) while
it extracts into a staging folder; nothing outside that folder is touched.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import tarfile
import tempfile
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from trainerhub.core.backups.errors import BackupError

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Entry:
    """One file of the archive: its name inside it and where it is read from."""

    name: str
    source: Path


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def describe(entries: list[Entry]) -> dict[str, dict[str, Any]]:
    """The manifest's `files`: size and sha256 of every entry."""
    return {
        e.name: {"size": e.source.stat().st_size, "sha256": sha256_file(e.source)} for e in entries
    }


def media_entries(root: Path) -> list[Entry]:
    if not root.is_dir():
        return []
    files = sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())
    return [Entry(f"media/{p.relative_to(root).as_posix()}", p) for p in files]


class _HashingReader:
    """Hashes what tar reads, so a file changed after the manifest was written is caught."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def write(dest: Path, manifest: dict[str, Any], entries: list[Entry]) -> None:
    """Write the archive to `dest` atomically (temp file in the same folder, then rename)."""
    fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".partial")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2, sort_keys=True).encode())
            for entry in entries:
                _add_file(tar, entry, manifest["files"][entry.name])
            tar.close()
            raw.flush()
            os.fsync(raw.fileno())
        tmp.chmod(0o600)  # the database holds clients' health notes
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    info.mtime = int(time.time())
    tar.addfile(info, io.BytesIO(data))


def _add_file(tar: tarfile.TarFile, entry: Entry, expected: dict[str, Any]) -> None:
    info = tarfile.TarInfo(entry.name)
    info.size = expected["size"]
    info.mode = 0o600
    info.mtime = int(entry.source.stat().st_mtime)
    with entry.source.open("rb") as handle:
        reader = _HashingReader(handle)
        try:
            tar.addfile(info, reader)
        except OSError as exc:  # tar's "unexpected end of data": the file shrank
            raise BackupError(f"{entry.name} changed while it was being backed up.") from exc
    if reader.digest.hexdigest() != expected["sha256"]:
        raise BackupError(f"{entry.name} changed while it was being backed up; run it again.")


# --- Reading --------------------------------------------------------------------------------


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest alone (the first member), without extracting the rest."""
    with _open(path) as tar:
        return _manifest_of(tar, next(_members(tar), None))


def extract_verified(path: Path, staging: Path) -> dict[str, Any]:
    """Extract into `staging`, checking every file against the manifest; the manifest.

    Raises BackupError at the first difference: a missing, extra, resized or altered file."""
    with _open(path) as tar:
        members = _members(tar)
        manifest = _manifest_of(tar, next(members, None))
        expected: dict[str, dict[str, Any]] = manifest["files"]
        seen: set[str] = set()
        for member in members:
            name = _safe_name(member)
            if name not in expected or name in seen:
                raise BackupError(f"The archive holds {name}, which its manifest does not list.")
            _extract_checked(tar, member, staging / name, expected[name])
            seen.add(name)
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(f"The archive lacks {missing[0]} (listed in its manifest).")
    return manifest


def _open(path: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(path, mode="r:gz")
    except FileNotFoundError as exc:
        raise BackupError(f"No such backup: {path}") from exc
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise BackupError(f"{path} is not a TrainerHub backup (not a readable tar.gz).") from exc


def _members(tar: tarfile.TarFile) -> Iterator[tarfile.TarInfo]:
    try:
        yield from tar
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise BackupError(f"The archive is damaged: {exc}") from exc


def _manifest_of(tar: tarfile.TarFile, member: tarfile.TarInfo | None) -> dict[str, Any]:
    if member is None or member.name != MANIFEST or not member.isfile():
        raise BackupError(f"This is not a TrainerHub backup: {MANIFEST} is not its first file.")
    try:
        manifest = json.loads(_reader(tar, member).read())
    except (ValueError, tarfile.TarError, EOFError, zlib.error) as exc:
        raise BackupError(f"The backup's {MANIFEST} cannot be read: {exc}") from exc
    version = manifest.get("format_version") if isinstance(manifest, dict) else None
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BackupError(
            f"This backup has format version {version!r}; this TrainerHub reads up to "
            f"{FORMAT_VERSION}. Restore it with the version that made it or a newer one."
        )
    if not all(isinstance(manifest.get(key), dict) for key in ("files", "database", "media")):
        raise BackupError(f"The backup's {MANIFEST} lacks its list of files or database facts.")
    return manifest


def _reader(tar: tarfile.TarFile, member: tarfile.TarInfo) -> IO[bytes]:
    handle = tar.extractfile(member)
    if handle is None:  # only for members that are not files, which _safe_name refused
        raise BackupError(f"The archive's {member.name} is not a file.")
    return handle


def _safe_name(member: tarfile.TarInfo) -> str:
    path = PurePosixPath(member.name)
    if (
        not member.isfile()
        or path.is_absolute()
        or any(part in ("", ".", "..") for part in path.parts)
        or path.as_posix() != member.name
    ):
        raise BackupError(f"The archive holds an entry that is not a plain file: {member.name!r}")
    return member.name


def _extract_checked(
    tar: tarfile.TarFile, member: tarfile.TarInfo, target: Path, expected: dict[str, Any]
) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    source = _reader(tar, member)
    try:
        with target.open("wb") as out:
            for chunk in iter(lambda: source.read(_CHUNK), b""):
                digest.update(chunk)
                out.write(chunk)
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise BackupError(f"The archive is damaged at {member.name}: {exc}") from exc
    if member.size != expected.get("size") or digest.hexdigest() != expected.get("sha256"):
        raise BackupError(
            f"{member.name} does not match its sha256 in the manifest: the archive was altered "
            "or damaged. Nothing was restored."
        )
