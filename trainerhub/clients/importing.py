"""CSV import with a preview: parse, map headers, validate rows, flag duplicates; write
nothing until the trainer confirms with the signed token of the preview."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import filetype
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction

from trainerhub.accounts.models import User
from trainerhub.clients.models import Client, Tag
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
from trainerhub.core.errors import InvalidInput
from trainerhub.core.validation import has_control_characters

MAX_ROWS = 5000
TOKEN_SALT = "trainerhub.clients.import"  # noqa: S105 - a signing salt, not a secret
TOKEN_MAX_AGE = 60 * 60
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


@transaction.atomic
def import_commit(*, trainer: User, token: Any) -> tuple[list[Client], int]:
    """All valid rows of the preview in one transaction. Returns (created, skipped)."""
    from trainerhub.clients.services import tag_create

    rows = _load_token(trainer=trainer, token=token)
    tags = {t.name.casefold(): t for t in Tag.objects.filter(trainer=trainer)}
    existing = {
        e.casefold()
        for e in Client.objects.filter(trainer=trainer, erased_at__isnull=True).values_list(
            "email", flat=True
        )
        if e
    }
    created, skipped = [], 0
    for values in rows:
        email = (values.get("email") or "").casefold()
        if email and email in existing:
            skipped += 1  # added meanwhile (another import or the portal)
            continue
        for name in values.get("tags", []):
            if name.casefold() not in tags:
                tags[name.casefold()] = tag_create(trainer=trainer, name=name)
        fields = {k: v for k, v in values.items() if k != "tags"}
        client = client_create(
            trainer=trainer, tags=values.get("tags", []), actor="trainer", **fields
        )
        existing.add(email)
        created.append(client)
    return created, skipped
