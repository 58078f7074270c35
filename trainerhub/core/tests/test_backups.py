"""Backups that restore, on the database the suite runs on (SQLite, or PostgreSQL by DATABASE_URL).

The backup dumps `connection.settings_dict`, i.e. pytest-django's test database. On SQLite that
is a file (settings give it `TEST["NAME"]` in DATA_DIR, for the concurrency tests' threads), so
the backup reads it through a connection of its own and the restore writes the same file back
through SQLite's backup API: exactly the code path of production, no in-memory special case.
Restoring replaces the database under the test, hence `transactional_db`.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import signal
import subprocess
import sys
import tarfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from trainerhub.clients import notes
from trainerhub.clients.models import Client, ClientFile
from trainerhub.core.backups import BackupError, create_backup, open_verified, restore
from trainerhub.core.backups.databases import live_row_counts
from trainerhub.core.backups.rotation import daily_backup_in_worker, daily_if_due
from trainerhub.core.tests.factories import TrainerFactory, local_at, make_booking, make_client

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\0" * 16
OTHER_VENDOR = {"sqlite": "postgresql", "postgresql": "sqlite"}[connection.vendor]
only_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the worker backs up SQLite only"
)


@pytest.fixture
def data_dir(settings, tmp_path) -> Path:
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = settings.DATA_DIR / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.DATA_DIR.mkdir()
    return settings.DATA_DIR


@pytest.fixture
def practice(transactional_db, data_dir) -> list[Client]:
    trainer = TrainerFactory(email="dana@example.com")
    clients = [make_client(trainer, f"Client{n}") for n in range(3)]
    for days, client in enumerate(clients, start=1):
        make_booking(client, local_at(trainer, days, "09:00"))
    notes.client_file_upload(client=clients[0], upload=SimpleUploadedFile("intake.pdf", PDF))
    notes.client_file_upload(
        client=clients[1], upload=SimpleUploadedFile("me.png", PNG), kind=ClientFile.Kind.PHOTO
    )
    notes.note_create(client=clients[2], body="Left knee: no deep squats")
    return clients


def media_hashes(root: Path) -> dict[str, str]:
    return {
        f"media/{p.relative_to(root).as_posix()}": hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def manifest_media(manifest: dict) -> dict[str, str]:
    return {n: f["sha256"] for n, f in manifest["files"].items() if n.startswith("media/")}


def rewrite(src: Path, dest: Path, change: Callable[[str, bytes], bytes]) -> Path:
    """A copy of the archive with each member's bytes passed through `change`."""
    with tarfile.open(src) as old, tarfile.open(dest, "w:gz") as new:
        for member in old:
            data = change(member.name, old.extractfile(member).read())
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))
    return dest


def test_restore_drill_brings_back_every_row_and_file(practice, data_dir, settings):
    backup = create_backup()
    manifest = backup.manifest
    counts = manifest["database"]["row_counts"]
    assert manifest["database"]["vendor"] == connection.vendor
    assert (counts["scheduling_booking"], counts["clients_clientfile"], counts["clients_note"]) == (
        3,
        2,
        1,
    )
    assert counts == live_row_counts(connection)
    assert manifest_media(manifest) == media_hashes(settings.MEDIA_ROOT)
    assert len(manifest_media(manifest)) == 2

    # Wipe: every row of every table, every uploaded file; and a file the backup never saw.
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT)
    (settings.MEDIA_ROOT / "clients").mkdir(parents=True)
    (settings.MEDIA_ROOT / "clients" / "later.txt").write_text("uploaded after the backup")
    assert live_row_counts(connection)["scheduling_booking"] == 0

    with open_verified(backup.path) as verified:
        comparison = restore(verified)

    assert live_row_counts(connection) == counts
    assert [c for c in comparison if c.in_backup != c.now] == []
    assert media_hashes(settings.MEDIA_ROOT) == manifest_media(manifest)
    stored = ClientFile.objects.get(kind=ClientFile.Kind.ATTACHMENT)
    assert stored.file.read() == PDF
    assert sorted(p.name for p in data_dir.iterdir() if p.name.startswith(".")) == []


def test_counts_describe_the_dump_even_while_the_app_writes(practice, monkeypatch):
    from trainerhub.core.backups import databases

    count_rows = databases._row_counts

    def write_then_count(*args, **kwargs):
        # The app commits a client after the dump was taken, before the rows are counted.
        make_client(practice[0].trainer, "Meanwhile")
        return count_rows(*args, **kwargs)

    monkeypatch.setattr(databases, "_row_counts", write_then_count)
    backup = create_backup()
    monkeypatch.undo()
    assert backup.manifest["database"]["row_counts"]["clients_client"] == 3

    with open_verified(backup.path) as verified:
        restore(verified)
    assert live_row_counts(connection) == backup.manifest["database"]["row_counts"]
    assert not Client.objects.filter(first_name="Meanwhile").exists()


def test_manifest_names_versions_and_migrations(practice, settings):
    manifest = create_backup().manifest
    recorder = MigrationRecorder(connection)
    latest = {}
    for migration in recorder.migration_qs.order_by("id"):
        latest[migration.app] = migration.name
    assert manifest["format_version"] == 1
    assert manifest["app_version"] == "0.1.0"
    assert manifest["django_version"].startswith("5.2")
    assert manifest["database"]["migrations"] == latest
    assert manifest["database"]["server_version"]
    assert manifest["media"] == {"included": True, "root": str(settings.MEDIA_ROOT)}


def test_backup_command_writes_the_default_path_atomically(practice, data_dir):
    with time_machine.travel(datetime(2026, 3, 9, 12, 30, 5, tzinfo=UTC), tick=False):
        call_command("backup", stdout=io.StringIO())
    assert sorted(p.name for p in (data_dir / "backups").iterdir()) == [
        "trainerhub-20260309T123005Z.tar.gz"
    ]


def test_files_in_s3_are_named_as_not_included(practice, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage"},
    }
    manifest = create_backup().manifest
    assert manifest["media"]["included"] is False
    assert "S3 bucket" in manifest["media"]["note"]
    assert [n for n in manifest["files"] if n.startswith("media/")] == []


def test_tampered_archive_is_refused_and_changes_nothing(practice, data_dir, settings, tmp_path):
    backup = create_backup()
    victim = sorted(manifest_media(backup.manifest))[0]
    # Same size, one byte different: only the sha256 can tell.
    tampered = rewrite(
        backup.path,
        tmp_path / "tampered.tar.gz",
        lambda name, data: bytes([data[0] ^ 1]) + data[1:] if name == victim else data,
    )
    make_client(practice[0].trainer, "After")
    rows_before, files_before = live_row_counts(connection), media_hashes(settings.MEDIA_ROOT)

    with pytest.raises(CommandError, match=f"{victim} does not match its sha256"):
        call_command("restore", str(tampered), "--yes", stdout=io.StringIO())

    assert live_row_counts(connection) == rows_before
    assert Client.objects.filter(first_name="After").count() == 1
    assert media_hashes(settings.MEDIA_ROOT) == files_before
    assert [p.name for p in data_dir.iterdir() if p.name.startswith(".trainerhub-restore")] == []


def test_archive_from_the_other_database_vendor_is_refused(practice, tmp_path):
    backup = create_backup()

    def other_vendor(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["database"]["vendor"] = OTHER_VENDOR
        return json.dumps(manifest).encode()

    foreign = rewrite(backup.path, tmp_path / "foreign.tar.gz", other_vendor)
    names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    expected = (
        f"This backup is of a {names[OTHER_VENDOR]} database, but this installation uses "
        f"{names[connection.vendor]}."
    )
    with pytest.raises(CommandError, match=expected):
        call_command("restore", str(foreign), "--yes", stdout=io.StringIO())
    assert Client.objects.count() == 3


def test_a_dump_that_does_not_load_is_refused_before_anything_changes(practice, tmp_path):
    backup = create_backup()
    dump = backup.manifest["database"]["dump"]
    garbage = b"not a database at all" * 300

    def broken_dump(name: str, data: bytes) -> bytes:
        if name == dump:
            return garbage
        if name == "manifest.json":  # hashes that match: only loading the dump can tell
            manifest = json.loads(data)
            manifest["files"][dump] = {
                "size": len(garbage),
                "sha256": hashlib.sha256(garbage).hexdigest(),
            }
            return json.dumps(manifest).encode()
        return data

    broken = rewrite(backup.path, tmp_path / "broken.tar.gz", broken_dump)
    make_client(practice[0].trainer, "After")
    vendor = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[connection.vendor]
    with pytest.raises(CommandError, match=f"The backup's {vendor} database is damaged"):
        call_command("restore", str(broken), "--yes", stdout=io.StringIO())
    assert Client.objects.count() == 4


def test_restore_without_confirmation_changes_nothing(practice, monkeypatch):
    backup = create_backup()
    make_client(practice[0].trainer, "After")
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match=r"Restore cancelled; nothing was changed\."):
        call_command("restore", str(backup.path), stdout=io.StringIO())
    assert Client.objects.filter(first_name="After").count() == 1


def test_restoring_an_older_backup_runs_the_migrations(practice):
    # The backup is made by an "older version": one without the sessions app's migration.
    call_command("migrate", "sessions", "zero", verbosity=0)
    try:
        backup = create_backup()
        call_command("migrate", verbosity=0)  # the newer version, with its new table
        in_backup = backup.manifest["database"]
        assert "sessions" not in in_backup["migrations"]
        assert "django_session" not in in_backup["row_counts"]

        out = io.StringIO()
        call_command("restore", str(backup.path), "--noinput", stdout=out)

        # Asserted before `finally` migrates: only the restore itself may have applied it.
        assert ("sessions", "0001_initial") in MigrationRecorder(connection).applied_migrations()
        assert "Applying sessions.0001_initial..." in out.getvalue()
        now = live_row_counts(connection)
        assert now["django_session"] == 0
        assert now["django_migrations"] == in_backup["row_counts"]["django_migrations"] + 1
    finally:
        call_command("migrate", verbosity=0)  # never leave later tests without the table


@only_sqlite  # 60 pg_dumps would cost half a minute for logic that is not the vendor's
def test_rotation_keeps_7_daily_and_4_weekly_over_60_days(db, data_dir):
    first = date(2026, 1, 4)  # a Sunday; the 60th day, 4 March 2026, is a Wednesday
    for day in range(60):
        at = datetime.combine(first + timedelta(days=day), datetime.min.time(), UTC)
        with time_machine.travel(at + timedelta(hours=3), tick=False):
            assert daily_if_due(datetime.now(UTC)) is not None
        with time_machine.travel(at + timedelta(hours=23), tick=False):
            assert daily_if_due(datetime.now(UTC)) is None  # one a UTC day

    kept = sorted(p.name[11:19] for p in (data_dir / "backups" / "daily").iterdir())
    dailies = ["20260226", "20260227", "20260228", "20260301", "20260302", "20260303", "20260304"]
    # The newest of each ISO week before the week of the oldest daily (Mon 23 Feb - Sun 1 Mar).
    weeklies = ["20260201", "20260208", "20260215", "20260222"]
    assert kept == weeklies + dailies


@only_sqlite
def test_a_failing_daily_backup_is_logged_and_not_raised(db, data_dir, caplog):
    (data_dir / "backups").mkdir()
    (data_dir / "backups" / "daily").write_text("a file where the folder should be")
    assert daily_backup_in_worker(datetime(2026, 3, 1, 3, tzinfo=UTC)) is None
    failures = [r for r in caplog.records if r.levelname == "ERROR"]
    assert [r.getMessage()[:20] for r in failures] == ["DAILY BACKUP FAILED:"]
    assert failures[0].exc_info is not None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's side of the rule")
def test_the_worker_leaves_postgresql_to_its_own_tooling(db, data_dir):
    assert daily_backup_in_worker(datetime(2026, 3, 1, 3, tzinfo=UTC)) is None
    assert not (data_dir / "backups").exists()


@only_sqlite
def test_the_worker_makes_the_daily_backup(transactional_db, data_dir):
    from trainerhub.notifications.tests.workers import ROOT, worker_env

    env = worker_env(2, DATA_DIR=str(data_dir), BACKUP_DAILY="true", PYTHONUNBUFFERED="1")
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--interval", "60"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    folder = data_dir / "backups" / "daily"
    try:
        deadline = time.monotonic() + 60
        while not list(folder.glob("trainerhub-*.tar.gz")) and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        worker.send_signal(signal.SIGTERM)
        _, err = worker.communicate(timeout=30)
    assert worker.returncode == 0, err
    [made] = list(folder.glob("trainerhub-*.tar.gz"))
    with open_verified(made) as verified:
        assert verified.manifest["database"]["vendor"] == "sqlite"


def test_a_truncated_archive_is_refused(practice, tmp_path):
    backup = create_backup()
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(backup.path.read_bytes()[:-200])
    with pytest.raises(BackupError), open_verified(cut):
        pass
    assert Client.objects.count() == 3
