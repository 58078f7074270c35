from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from trainerhub.clients import importing
from trainerhub.clients.models import Client, ClientImport, Tag
from trainerhub.clients.tests.factories import ClientFactory
from trainerhub.core.errors import InvalidInput

pytestmark = pytest.mark.django_db

EXCEL_CSV = (
    "First Name;Surname;E-mail;Mobile;Date of Birth;Notes;Tags;Shoe size\r\n"
    "Zoë;Ørsted;zoe@example.com;07911 123456;31/12/1990;Wants a 5k;VIP, Runner;42\r\n"
    "José;Núñez;JOSE@example.com;+34 612 345 678;1985-02-03;;;\r\n"
    "Bad;Email;not-an-email;;;;;\r\n"
    "Bad;Phone;bad@example.com;123;;;;\r\n"
    "Bad;Date;date@example.com;;31/02/1990;;;\r\n"
    ";NoFirst;nofirst@example.com;;;;;\r\n"
    "Dup;InFile;zoe@example.com;;;;;\r\n"
    "Dup;Existing;known@example.com;;;;;\r\n"
    "\r\n"
).encode("utf-8-sig")


def test_preview_excel_csv(alice):
    ClientFactory(trainer=alice, email="Known@example.com")
    preview = importing.import_preview(trainer=alice, data=EXCEL_CSV)
    assert (
        preview.columns["First Name"] == "first_name" and preview.columns["Surname"] == "last_name"
    )
    assert preview.columns["E-mail"] == "email" and preview.columns["Mobile"] == "phone"
    assert preview.ignored_columns == ["Shoe size"]
    valid = preview.valid
    assert [r.values["first_name"] for r in valid] == ["Zoë", "José"]
    assert (
        valid[0].values["phone"] == "+447911123456"
        and valid[0].values["date_of_birth"] == "1990-12-31"
    )
    assert valid[0].values["tags"] == ["VIP", "Runner"] and valid[0].values["goals"] == "Wants a 5k"
    errors = {r.line: " ".join(r.errors) for r in preview.invalid}
    assert set(errors) == {4, 5, 6, 7}
    assert (
        "email" in errors[4]
        and "phone" in errors[5]
        and "date" in errors[6]
        and "First name" in errors[7]
    )
    assert {(r.line, r.duplicate) for r in preview.duplicates} == {(8, "file"), (9, "existing")}
    assert preview.new_tags == ["Runner", "VIP"]
    assert Client.objects.count() == 1  # nothing written by the preview


def test_commit_writes_valid_rows(alice):
    ClientFactory(trainer=alice, email="known@example.com")
    preview = importing.import_preview(trainer=alice, data=EXCEL_CSV)
    job = importing.import_commit(trainer=alice, token=preview.token)
    assert (job.status, job.created_count, job.skipped_count) == ("done", 2, 0)
    assert job.rows == []  # no copy of the clients' details outlives the import
    zoe = Client.objects.get(email="zoe@example.com")
    assert zoe.last_name == "Ørsted" and sorted(t.name for t in zoe.tags.all()) == ["Runner", "VIP"]
    assert "zoe orsted" in zoe.search_text
    assert Tag.objects.count() == 2


def test_a_refused_row_stops_the_import_and_its_batch_is_all_or_nothing(alice, monkeypatch):
    preview = importing.import_preview(trainer=alice, data=EXCEL_CSV)
    real = importing.client_create
    calls = []

    def flaky(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise InvalidInput({"first_name": ["boom"]})
        return real(**kwargs)

    monkeypatch.setattr(importing, "client_create", flaky)
    job = importing.import_commit(trainer=alice, token=preview.token)
    assert (job.status, job.created_count) == ("failed", 0)
    assert job.error == "A row among rows 1 to 3 was refused: boom"
    assert not Client.objects.exists() and not Tag.objects.exists()


def test_commit_skips_emails_added_meanwhile(alice):
    preview = importing.import_preview(trainer=alice, data=EXCEL_CSV)
    ClientFactory(trainer=alice, email="ZOE@example.com")
    job = importing.import_commit(trainer=alice, token=preview.token)
    assert (job.created_count, job.skipped_count) == (2, 1)


def test_token_is_bound_to_the_trainer_and_signed(alice, bob):
    preview = importing.import_preview(trainer=alice, data=EXCEL_CSV)
    with pytest.raises(InvalidInput):
        importing.import_queue(trainer=bob, token=preview.token)
    with pytest.raises(InvalidInput):
        importing.import_queue(trainer=alice, token=preview.token[:-3] + "abc")
    assert not Client.objects.exists() and not ClientImport.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,
        b"PK\x03\x04" + b"\x00" * 100,
        b"%PDF-1.4 hello",
        b"",
        b"\x00\x01\x02\x03garbage",
        b"Shoe;Hat\r\n1;2\r\n",
    ],
)
def test_not_a_csv(alice, data):
    with pytest.raises(InvalidInput) as exc:
        importing.import_preview(trainer=alice, data=data)
    assert "file" in exc.value.errors


def test_tab_and_comma_and_given_name(alice):
    tabbed = b"Given name\tLast Name\tTelephone\tDOB\nAda\tLovelace\t+44 20 7946 0958\t10.12.1815\n"
    row = importing.import_preview(trainer=alice, data=tabbed).rows[0]
    assert row.values["first_name"] == "Ada" and row.values["phone"] == "+442079460958"
    # "DOB" is the date of birth; 1815 cannot be one: the row's one error quotes it.
    (error,) = row.errors
    assert "10.12.1815" in error
    comma = b'first_name,last_name,email,Birthday\n"Smith, Jr",Bob,b@example.com,2000-01-01\n'
    row = importing.import_preview(trainer=alice, data=comma).rows[0]
    assert row.ok and row.values["first_name"] == "Smith, Jr"
    full = b"Name,Email\nMary Ann Evans,m@example.com\n"
    row = importing.import_preview(trainer=alice, data=full).rows[0]
    assert row.values["first_name"] == "Mary" and row.values["last_name"] == "Ann Evans"


def test_cp1252_excel_csv(alice):
    data = "First Name;Last Name\r\nRené;Müller\r\n".encode("cp1252")
    assert importing.import_preview(trainer=alice, data=data).rows[0].values["first_name"] == "René"


def test_api_import_preview_then_commit(alice_api, alice):
    response = alice_api.post(
        "/api/v1/clients/import",
        {"file": SimpleUploadedFile("c.csv", EXCEL_CSV)},
        format="multipart",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["valid_count"] == 3 and {e["line"] for e in body["errors"]} == {4, 5, 6, 7}
    assert {d["line"] for d in body["duplicates"]} == {8}
    assert not Client.objects.exists()
    assert (
        alice_api.post(
            "/api/v1/clients/import", {"token": body["token"], "confirm": False}, format="json"
        ).status_code
        == 400
    )
    assert (
        alice_api.post(
            "/api/v1/clients/import", {"token": "junk", "confirm": True}, format="json"
        ).status_code
        == 400
    )
    response = alice_api.post(
        "/api/v1/clients/import", {"token": body["token"], "confirm": True}, format="json"
    )
    job = ClientImport.objects.get()
    queued = {
        "id": job.pk,
        "status": "queued",
        "total": 3,
        "processed": 0,
        "percent": 0,
        "created": 0,
        "skipped": 0,
        "error": "",
    }
    assert (response.status_code, response.json()) == (202, queued)
    assert Client.objects.count() == 0  # the worker writes them
    importing.import_run_due()
    done = alice_api.get(f"/api/v1/clients/import/{job.pk}")
    expected = {**queued, "status": "done", "processed": 3, "percent": 100, "created": 3}
    assert (done.status_code, done.json()) == (200, expected)
    assert Client.objects.count() == 3


def test_an_import_is_its_trainers_only(alice_api, bob_api, alice):
    preview = importing.import_preview(trainer=alice, data=EXCEL_CSV)
    job = importing.import_queue(trainer=alice, token=preview.token)
    assert bob_api.get(f"/api/v1/clients/import/{job.pk}").status_code == 404
    assert alice_api.get(f"/api/v1/clients/import/{job.pk}").status_code == 200


def test_api_import_refuses_non_csv(alice_api):
    response = alice_api.post(
        "/api/v1/clients/import",
        {"file": SimpleUploadedFile("c.csv", b"PK\x03\x04" + b"\x00" * 64)},
        format="multipart",
    )
    assert response.status_code == 400 and "Excel" in response.json()["file"][0]
    assert alice_api.post("/api/v1/clients/import", {}, format="json").status_code == 400


# --- The background job: batches, progress, two workers, a dead worker ------------------


def big_csv(rows: int, start: int = 0) -> bytes:
    lines = ["First name,Last name,Email"]
    lines += [f"P{i},Row,p{i}@example.com" for i in range(start, start + rows)]
    return ("\n".join(lines) + "\n").encode()


def test_the_worker_commits_in_batches_with_progress(alice, monkeypatch):
    monkeypatch.setattr(importing, "IMPORT_BATCH", 10)
    preview = importing.import_preview(trainer=alice, data=big_csv(25))
    job = importing.import_queue(trainer=alice, token=preview.token)
    claim = importing._claim(job.pk, now=None)
    assert claim is not None
    seen = []
    while importing._run_batch(job_id=job.pk, claim=claim):
        job.refresh_from_db()
        seen.append((job.processed, Client.objects.count(), job.percent))
    assert seen == [(10, 10, 40), (20, 20, 80), (25, 25, 100)]
    assert job.status == "done" and job.finished_at is not None


def test_a_second_worker_cannot_take_a_claimed_import_until_its_lease_expires(alice):
    preview = importing.import_preview(trainer=alice, data=big_csv(3))
    job = importing.import_queue(trainer=alice, token=preview.token)
    first = importing._claim(job.pk, now=None)
    assert first is not None and importing._claim(job.pk, now=None) is None
    # The first worker died: past its lease another resumes, and the first's claim is void.
    later = timezone.now() + timedelta(seconds=importing.IMPORT_LEASE_SECONDS + 1)
    second = importing._claim(job.pk, now=later)
    assert second is not None
    assert importing._run_batch(job_id=job.pk, claim=first) == 0
    assert importing._run_batch(job_id=job.pk, claim=second) == 3
    assert Client.objects.count() == 3


def test_import_run_due_is_idempotent(alice):
    preview = importing.import_preview(trainer=alice, data=big_csv(4))
    importing.import_queue(trainer=alice, token=preview.token)
    assert importing.import_run_due() == 4
    assert importing.import_run_due() == 0
    assert Client.objects.count() == 4


def test_the_worker_and_celery_run_the_import_job():
    from trainerhub.core import periodic

    assert "clients.imports" in periodic.names()


@pytest.mark.django_db(transaction=True)
def test_another_trainers_writes_wait_at_most_a_batch_while_an_import_runs(alice, bob):
    """The import and another trainer writing at once (SQLite: one writer at a time). Each
    of bob's writes waits at most about one batch's transaction, never the whole import."""
    import threading
    import time as clock

    from django.db import connection

    from trainerhub.clients.services import client_create

    preview = importing.import_preview(trainer=alice, data=big_csv(200))
    importing.import_queue(trainer=alice, token=preview.token)
    waits: list[float] = []
    running = threading.Event()

    def worker() -> None:
        try:
            running.set()
            importing.import_run_due()
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    running.wait()
    try:
        for i in range(10):
            started = clock.monotonic()
            client_create(trainer=bob, first_name=f"B{i}", last_name="Bob", actor="trainer")
            waits.append(clock.monotonic() - started)
            clock.sleep(0.05)
    finally:
        thread.join()
    assert Client.objects.filter(trainer=alice).count() == 200
    assert Client.objects.filter(trainer=bob).count() == 10
    assert max(waits) < 3.0, waits
