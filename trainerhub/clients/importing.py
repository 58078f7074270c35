"""CSV import with a preview: parse, map headers, validate rows, flag duplicates; write
nothing until the trainer confirms with the signed token of the preview. The confirmed rows
are then written by the background worker in short batches (ClientImport), never in the web
request: a 5,000-row import neither holds SQLite's write lock for long nor meets the web
worker's timeout, and the import page shows its progress."""

from __future__ import annotations

import csv
import io
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import filetype
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from trainerhub.accounts.models import User
from trainerhub.clients.models import Client, ClientImport, Tag
from trainerhub.clients.search import normalise
from trainerhub.clients.services import client_create
from trainerhub.clients.validation import (
    clean_email,
    clean_phone,
    parse_date,
    phone_help,
    phone_region_for,
    today_for,
)
from trainerhub.core.access import get_owned_or_404
from trainerhub.core.errors import InvalidInput
from trainerhub.core.validation import has_control_characters

MAX_ROWS = 5000
TOKEN_SALT = "trainerhub.clients.import"  # noqa: S105 - a signing salt, not a secret
TOKEN_MAX_AGE = 60 * 60
# Rows per write transaction: each holds SQLite's write lock for well under a second.
IMPORT_BATCH = 25
# Between two batches on SQLite: a writer waiting on the lock polls (its busy timeout); without
# a pause the import would take the lock back before the waiting writer's next try.
IMPORT_PAUSE_SECONDS = 0.1
# A worker that has not finished a batch for this long is presumed dead; another resumes.
IMPORT_LEASE_SECONDS = 120
HEADERS = {
    "first_name": [
        "first name",
        "firstname",
        "first",
        "given name",
        "forename",
        "prenom",
        "vorname",
    ],
    "last_name": ["last name", "lastname", "surname", "family name", "last", "nom", "nachname"],
    "full_name": ["name", "full name", "client", "client name", "contact name"],
    "email": ["email", "e mail", "email address", "e mail address", "mail"],
    "phone": [
        "phone",
        "mobile",
        "telephone",
        "tel",
        "phone number",
        "mobile phone",
        "cell",
        "mobile number",
    ],
    "date_of_birth": ["date of birth", "dob", "birthday", "birth date", "birthdate"],
    "goals": ["notes", "goals", "goal", "note", "comments"],
    "address": ["address", "street address", "home address"],
    "level": ["level", "fitness level", "experience"],
    "referral_source": ["referral", "referral source", "source", "how did you hear about us"],
    "tags": ["tags", "tag", "labels", "groups"],
}
_LOOKUP = {alias: name for name, aliases in HEADERS.items() for alias in aliases}
# What the preview calls each field: the trainer's words, not the code's.
FIELD_LABELS = {
    "first_name": "First name",
    "last_name": "Last name",
    "full_name": "Full name",
    "email": "Email",
    "phone": "Phone",
    "date_of_birth": "Date of birth",
    "goals": "Goals and notes",
    "address": "Address",
    "level": "Level",
    "referral_source": "How they found you",
    "tags": "Tags",
}


def _header_key(header: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", normalise(header)).strip()


@dataclass
class ImportRow:
    line: int
    values: dict[str, Any]
    errors: list[str] = field(default_factory=list)
    duplicate: str = ""  # "existing" | "file" | ""

    @property
    def ok(self) -> bool:
        return not self.errors and not self.duplicate


@dataclass
class ImportPreview:
    columns: dict[str, str]  # original header -> field
    ignored_columns: list[str]
    rows: list[ImportRow]
    new_tags: list[str]
    token: str = ""
    phone_region: str = ""  # the country national numbers were read in ('' = none)

    @property
    def column_labels(self) -> dict[str, str]:
        return {header: FIELD_LABELS[name] for header, name in self.columns.items()}

    @property
    def phone_note(self) -> str:
        return phone_help(self.phone_region)

    @property
    def valid(self) -> list[ImportRow]:
        return [r for r in self.rows if r.ok]

    @property
    def invalid(self) -> list[ImportRow]:
        return [r for r in self.rows if r.errors]

    @property
    def duplicates(self) -> list[ImportRow]:
        return [r for r in self.rows if r.duplicate and not r.errors]


def _not_csv(message: str = "") -> InvalidInput:
    return InvalidInput(
        {
            "file": [
                message
                or "This is not a CSV file. Export your spreadsheet as CSV "
                "(comma or semicolon separated) and try again."
            ]
        }
    )


def decode_csv(data: bytes) -> str:
    if not data:
        raise InvalidInput({"file": ["The file is empty."]})
    if len(data) > int(settings.MAX_UPLOAD_MB) * 1024 * 1024:
        raise InvalidInput(
            {"file": [f"The file is too large: the limit is {settings.MAX_UPLOAD_MB} MB."]}
        )
    kind = filetype.guess(data[:8192])
    if kind is not None:
        if kind.extension in ("xlsx", "xls", "zip"):
            raise _not_csv(
                "This looks like an Excel workbook, not a CSV. In Excel choose "
                "File → Save As → CSV UTF-8, then import that file."
            )
        raise _not_csv()
    if b"\x00" in data[:8192]:
        raise _not_csv()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older Excel saves "CSV" in the Windows code page.
        if not _cp1252_ok(data):
            raise _not_csv(
                "The file is not readable text. Save it as CSV UTF-8 and try again."
            ) from None
        text = data.decode("cp1252", errors="strict")
    if sum(1 for ch in text[:4096] if not ch.isprintable() and ch not in "\r\n\t") > 5:
        raise _not_csv()
    return text


def _cp1252_ok(data: bytes) -> bool:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def _reader(text: str) -> Any:
    sample = "\n".join(text.splitlines()[:20])
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return csv.reader(io.StringIO(text, newline=""), dialect)


def _map_headers(headers: list[str]) -> tuple[dict[int, str], dict[str, str], list[str]]:
    by_index: dict[int, str] = {}
    columns: dict[str, str] = {}
    ignored: list[str] = []
    for index, header in enumerate(headers):
        name = _LOOKUP.get(_header_key(header))
        if name and name not in by_index.values():
            by_index[index] = name
            columns[header] = name
        elif header.strip():
            ignored.append(header)
    if not ({"first_name", "full_name"} & set(by_index.values())):
        raise InvalidInput(
            {
                "file": [
                    "We could not find a name column. Use headers such as "
                    "First Name, Last Name, E-mail, Mobile."
                ]
            }
        )
    return by_index, columns, ignored


def _row_values(cells: list[str], by_index: dict[int, str]) -> dict[str, Any]:
    values: dict[str, Any] = {
        name: (cells[i].strip() if i < len(cells) else "") for i, name in by_index.items()
    }
    full = values.pop("full_name", "")
    if full and not values.get("first_name"):
        first, _, last = full.partition(" ")
        values["first_name"] = first
        if not values.get("last_name"):
            values["last_name"] = last.strip()
    if "tags" in values:
        values["tags"] = [t.strip() for t in re.split(r"[,;|]", values["tags"]) if t.strip()]
    return values


_LIMITS = {
    "first_name": 100,
    "last_name": 100,
    "goals": 5000,
    "address": 500,
    "level": 100,
    "referral_source": 150,
}


def _validate(values: dict[str, Any], *, today: date, region: str) -> list[str]:
    errors = []
    # The product's text rule (core.validation): a NUL anywhere in the file, even past the
    # part read to recognise it, would reach PostgreSQL as a DataError.
    texts = [v for v in values.values() if isinstance(v, str)] + values.get("tags", [])
    if any(has_control_characters(text) for text in texts):
        errors.append("A cell holds a control character (such as NUL); remove it.")
    if not values.get("first_name"):
        errors.append("First name is missing.")
    for name, limit in _LIMITS.items():
        if len(values.get(name) or "") > limit:
            errors.append(f"{FIELD_LABELS[name]} is longer than {limit} characters.")
    checks: tuple[tuple[str, Callable[[str], str]], ...] = (
        ("email", clean_email),
        ("phone", lambda v: clean_phone(v, region=region)),
    )
    for name, check in checks:
        try:
            values[name] = check(values.get(name, ""))
        except ValidationError as exc:
            errors.append(f"{exc.messages[0]} The file says “{values.get(name)}”.")
    try:
        born = parse_date(values.get("date_of_birth"))
        if born and (born > today or born.year < 1900):
            errors.append(f"The date of birth “{values['date_of_birth']}” cannot be right.")
        values["date_of_birth"] = born.isoformat() if born else None
    except ValidationError as exc:
        errors.append(f"{exc.messages[0]} The file says “{values.get('date_of_birth')}”.")
    if any(len(t) > 50 for t in values.get("tags", [])):
        errors.append("A tag is longer than 50 characters.")
    return errors


def import_preview(*, trainer: User, data: bytes) -> ImportPreview:
    text = decode_csv(data)
    reader = _reader(text)
    try:
        headers = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise _not_csv("The file has no header row.") from exc
    by_index, columns, ignored = _map_headers(headers)
    existing = {
        e.casefold()
        for e in Client.objects.filter(trainer=trainer, erased_at__isnull=True)
        .exclude(email="")
        .values_list("email", flat=True)
    }
    seen: set[str] = set()
    rows: list[ImportRow] = []
    today = today_for(trainer)
    region = phone_region_for(trainer)
    try:
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise InvalidInput({"file": [f"Import at most {MAX_ROWS} rows at a time."]})
            values = _row_values(cells, by_index)
            row = ImportRow(
                line=reader.line_num,
                values=values,
                errors=_validate(values, today=today, region=region),
            )
            email = (values.get("email") or "").casefold()
            if email and email in existing:
                row.duplicate = "existing"
            elif email and email in seen:
                row.duplicate = "file"
            if email:
                seen.add(email)
            rows.append(row)
    except csv.Error as exc:
        raise _not_csv(f"The CSV is malformed near line {reader.line_num}: {exc}.") from exc
    known = {
        t.casefold() for t in Tag.objects.filter(trainer=trainer).values_list("name", flat=True)
    }
    new_tags = sorted(
        {t for r in rows if r.ok for t in r.values.get("tags", []) if t.casefold() not in known}
    )
    preview = ImportPreview(
        columns=columns,
        ignored_columns=ignored,
        rows=rows,
        new_tags=new_tags,
        phone_region=region,
    )
    preview.token = signing.dumps(
        {"t": trainer.pk, "rows": [r.values for r in preview.valid]}, salt=TOKEN_SALT, compress=True
    )
    return preview


def _load_token(*, trainer: User, token: Any) -> list[dict[str, Any]]:
    if not isinstance(token, str) or not token:
        raise InvalidInput({"token": ["Upload the file again: the preview token is missing."]})
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise InvalidInput({"token": ["The preview expired. Upload the file again."]}) from exc
    except signing.BadSignature as exc:
        raise InvalidInput(
            {"token": ["The preview token is not valid. Upload the file again."]}
        ) from exc
    if payload.get("t") != trainer.pk:
        raise InvalidInput({"token": ["The preview token is not valid. Upload the file again."]})
    return payload["rows"]


def import_queue(*, trainer: User, token: Any) -> ClientImport:
    """The trainer confirmed the preview: queue its valid rows for the background worker
    (one short insert; the page and the API answer at once and show the progress)."""
    rows = _load_token(trainer=trainer, token=token)
    return ClientImport.objects.create(trainer=trainer, rows=rows, total=len(rows))


def import_commit(*, trainer: User, token: Any) -> ClientImport:
    """Queue the preview's rows and run them at once, still batch by batch (the shell, tests);
    the pages and the API queue them for the worker instead."""
    job = import_queue(trainer=trainer, token=token)
    claimed = _claim(job.pk, now=None)
    while claimed is not None and _run_batch(job_id=job.pk, claim=claimed):
        pass
    job.refresh_from_db()
    return job


def import_job(*, trainer: User, pk: int) -> ClientImport:
    """The trainer's own import (another trainer's is a 404, like every object)."""
    return get_owned_or_404(ClientImport, trainer=trainer, pk=pk)


def import_run_due(*, now: datetime | None = None, budget_seconds: float = 45.0) -> int:
    """The worker's pass (periodic job "clients.imports"; the Celery setup runs the same
    function): run queued imports, and resume those whose worker went silent, batch by batch,
    for at most about `budget_seconds` (the next pass goes on). Returns the rows processed."""
    started = time.monotonic()
    processed = 0
    while time.monotonic() - started < budget_seconds:
        job = _claim_next(now=now)
        if job is None:
            break
        while time.monotonic() - started < budget_seconds:
            step = _run_batch(job_id=job.pk, claim=job.claim)
            processed += step
            if step == 0:
                break
            if connection.vendor == "sqlite":
                time.sleep(IMPORT_PAUSE_SECONDS)
    return processed


def _claim_next(*, now: datetime | None) -> ClientImport | None:
    moment = now or timezone.now()
    due = ClientImport.objects.filter(
        Q(status=ClientImport.Status.QUEUED)
        | Q(status=ClientImport.Status.RUNNING, lease_until__lt=moment)
    ).order_by("created_at", "pk")
    for pk in due.values_list("pk", flat=True)[:5]:
        if _claim(pk, now=moment) is not None:
            return ClientImport.objects.get(pk=pk)
    return None


def _claim(pk: int, *, now: datetime | None) -> str | None:
    """Take the job for this worker, in one UPDATE that re-checks it is free: of two workers,
    one wins. The claim token, or None."""
    moment = now or timezone.now()
    claim = secrets.token_hex(16)
    won = (
        ClientImport.objects.filter(pk=pk)
        .filter(
            Q(status=ClientImport.Status.QUEUED)
            | Q(status=ClientImport.Status.RUNNING, lease_until__lt=moment)
        )
        .update(
            status=ClientImport.Status.RUNNING,
            claim=claim,
            lease_until=timezone.now() + timedelta(seconds=IMPORT_LEASE_SECONDS),
        )
    )
    return claim if won else None


def _run_batch(*, job_id: int, claim: str) -> int:
    """One short write transaction: the next IMPORT_BATCH rows and the progress, together,
    so a crash loses nothing and repeats nothing. 0 when the job is finished or not ours."""
    from trainerhub.clients.services import tag_create

    with transaction.atomic():
        job = ClientImport.objects.select_for_update().filter(pk=job_id, claim=claim).first()
        if job is None or job.status != ClientImport.Status.RUNNING:
            return 0  # another worker took it over
        trainer = job.trainer
        batch = job.rows[job.processed : job.processed + IMPORT_BATCH]
        emails = {(v.get("email") or "").casefold() for v in batch} - {""}
        existing = {
            e.casefold()
            for e in Client.objects.filter(trainer=trainer, erased_at__isnull=True)
            .annotate(lowered=Lower("email"))
            .filter(lowered__in=emails)
            .values_list("email", flat=True)
        }
        tags = {t.name.casefold(): t for t in Tag.objects.filter(trainer=trainer)}
        created = skipped = 0
        try:
            with transaction.atomic():
                for values in batch:
                    email = (values.get("email") or "").casefold()
                    if email and email in existing:
                        skipped += 1  # added meanwhile (another import, the portal)
                        continue
                    for name in values.get("tags", []):
                        if name.casefold() not in tags:
                            tags[name.casefold()] = tag_create(trainer=trainer, name=name)
                    fields = {k: v for k, v in values.items() if k != "tags"}
                    client_create(
                        trainer=trainer, tags=values.get("tags", []), actor="trainer", **fields
                    )
                    existing.add(email)
                    created += 1
        except InvalidInput as exc:
            # The data changed since the preview (a rule refused a row): stop, keep what was
            # imported, and say which row.
            first, last = job.processed + 1, job.processed + len(batch)
            job.status = ClientImport.Status.FAILED
            job.error = f"A row among rows {first} to {last} was refused: {exc.detail}"
            job.rows, job.finished_at = [], timezone.now()
            job.save()
            return 0
        job.processed += len(batch)
        job.created_count += created
        job.skipped_count += skipped
        job.lease_until = timezone.now() + timedelta(seconds=IMPORT_LEASE_SECONDS)
        progress = ["processed", "created_count", "skipped_count", "lease_until"]
        if job.processed >= job.total:
            job.status, job.finished_at, job.rows = ClientImport.Status.DONE, timezone.now(), []
            progress += ["status", "finished_at", "rows"]
        job.save(update_fields=progress)  # not the rows on every batch: they are large
        return len(batch)
