"""The document of a template: sanitising, merge fields and the signer's fill-in fields.

Merge fields come from one fixed list (`MERGE_FIELDS`); a template naming any other is
refused when saved, and a contract whose field has no value (a booking field without a
booking, a client without an email) is refused when sent, with the field named.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import nh3

from trainerhub.core.errors import InvalidInput
from trainerhub.core.timezones import zone

MERGE_FIELDS: dict[str, str] = {
    "client.first_name": "The client's first name",
    "client.last_name": "The client's last name",
    "client.full_name": "The client's full name",
    "client.email": "The client's email address",
    "client.phone": "The client's phone number",
    "booking.date": "The booking's date (in the client's time zone)",
    "booking.time": "The booking's start time, with its time zone",
    "booking.location": "Where the session takes place",
    "service.name": "The booked service",
    "trainer.name": "Your name",
    "trainer.business_name": "Your business name (your name when you have none)",
    "trainer.email": "Your email address",
    "today": "The date the contract is sent",
}


def tag(key: str) -> str:
    """A merge field as written in a document: {{ key }}."""
    return "{{ " + key + " }}"


MERGE_RE = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")

FIELD_KINDS: dict[str, str] = {
    "text": "Text",
    "date": "Date",
    "checkbox": "Checkbox that must be ticked",
    "initials": "Initials",
}
MAX_FIELDS = 30
MAX_BODY = 100_000

# Tags and attributes a document may keep; everything else (scripts, styles, event handlers,
# iframes, forms) is removed by nh3.
ALLOWED_TAGS = {
    "a", "b", "blockquote", "br", "code", "em", "h1", "h2", "h3", "h4", "hr", "i", "li",
    "ol", "p", "pre", "s", "small", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan"}, "th": {"colspan"}}


def sanitise(body: str) -> str:
    """The safe subset of a body. Plain text (no tags) becomes paragraphs."""
    body = (body or "").replace("\r\n", "\n").strip()
    if body and "<" not in body:
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]
        body = "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    return nh3.clean(
        body,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    ).strip()


def merge_keys(body: str) -> list[str]:
    """The merge fields a body names, in order of first use."""
    seen: dict[str, None] = {}
    for match in MERGE_RE.finditer(body or ""):
        seen.setdefault(match.group(1).strip(), None)
    return list(seen)


def unknown_fields(body: str) -> list[str]:
    return [key for key in merge_keys(body) if key not in MERGE_FIELDS]


def check_body(body: str) -> str:
    """The sanitised body, or InvalidInput naming the unknown merge fields."""
    if len(body or "") > MAX_BODY:
        raise InvalidInput({"body": [f"Keep the document under {MAX_BODY:,} characters."]})
    clean = sanitise(body)
    unknown = unknown_fields(clean)
    if unknown:
        named = ", ".join(tag(key) for key in unknown)
        raise InvalidInput(
            {
                "body": [
                    f"Unknown merge field {named}. Use one of: "
                    + ", ".join(tag(key) for key in MERGE_FIELDS)
                    + "."
                ]
            }
        )
    return clean


# --- Fill-in fields -------------------------------------------------------------------------


def check_fields(raw: Any) -> list[dict[str, Any]]:
    """The signer's fill-in fields as stored: [{"key", "kind", "label", "required"}]."""
    if raw in (None, ""):
        return []
    if not isinstance(raw, list):
        raise InvalidInput({"fields": ["Send a list of fields."]})
    if len(raw) > MAX_FIELDS:
        raise InvalidInput({"fields": [f"At most {MAX_FIELDS} fill-in fields."]})
    fields: list[dict[str, Any]] = []
    keys: set[str] = set()
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            raise InvalidInput({"fields": [f"Field {number}: send an object."]})
        kind = item.get("kind")
        if kind not in FIELD_KINDS:
            kinds = ", ".join(FIELD_KINDS)
            raise InvalidInput({"fields": [f"Field {number}: the kind must be one of {kinds}."]})
        label = item.get("label")
        if not isinstance(label, str) or not label.strip() or len(label.strip()) > 200:
            raise InvalidInput(
                {"fields": [f"Field {number}: give it a label (200 characters at most)."]}
            )
        key = item.get("key") or f"field_{number}"
        if not isinstance(key, str) or not re.fullmatch(r"[a-z0-9_]{1,40}", key) or key in keys:
            raise InvalidInput(
                {
                    "fields": [
                        f"Field {number}: its key must be unique, lowercase letters, digits or _."
                    ]
                }
            )
        keys.add(key)
        required = item.get("required", True)
        if not isinstance(required, bool):
            raise InvalidInput({"fields": [f"Field {number}: required is true or false."]})
        # A checkbox of a contract is an agreement: it must always be ticked.
        fields.append(
            {
                "key": key,
                "kind": kind,
                "label": label.strip(),
                "required": required or kind == "checkbox",
            }
        )
    return fields


def parse_field_lines(text: str) -> list[dict[str, Any]]:
    """The page's way to write fields: one per line, `kind: label`, `(optional)` at the end."""
    fields: list[dict[str, Any]] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        kind, sep, label = line.partition(":")
        if not sep or kind.strip().lower() not in FIELD_KINDS:
            kinds = ", ".join(FIELD_KINDS)
            raise InvalidInput(
                {"fields": [f"Line {number}: write `kind: label`, the kind one of {kinds}."]}
            )
        label = label.strip()
        optional = label.lower().endswith("(optional)")
        if optional:
            label = label[: -len("(optional)")].strip()
        fields.append({"kind": kind.strip().lower(), "label": label, "required": not optional})
    return check_fields(fields)


def field_lines(fields: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{f['kind']}: {f['label']}{'' if f['required'] else ' (optional)'}" for f in fields
    )


def check_values(fields: list[dict[str, Any]], raw: Any) -> dict[str, Any]:
    """The signer's answers, each checked against its field; messages keyed `fields.<key>`."""
    raw = raw if isinstance(raw, dict) else {}
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for field in fields:
        key, kind, label = field["key"], field["kind"], field["label"]
        value = raw.get(key)
        name = f"fields.{key}"
        if kind == "checkbox":
            ticked = value is True or value in ("on", "true", "1", "yes")
            if not ticked:
                errors[name] = [f"Tick “{label}” to sign."]
            values[key] = ticked
            continue
        text = value.strip() if isinstance(value, str) else ""
        if value not in (None, "") and not isinstance(value, str):
            errors[name] = [f"“{label}”: send text."]
            continue
        if not text:
            if field["required"]:
                errors[name] = [f"Fill in “{label}”."]
            values[key] = ""
            continue
        if kind == "date":
            try:
                text = date.fromisoformat(text).isoformat()
            except ValueError:
                errors[name] = [f"“{label}”: give a date like 2026-12-31."]
                continue
        elif kind == "initials":
            if not re.fullmatch(r"[^\W\d_]{1,5}", text.replace(".", "").replace(" ", "")):
                errors[name] = [f"“{label}”: your initials, up to 5 letters."]
                continue
            text = text.upper()
        elif len(text) > 500:
            errors[name] = [f"“{label}”: 500 characters at most."]
            continue
        values[key] = text
    if errors:
        raise InvalidInput(errors)
    return values


# --- Merging ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MergeSource:
    trainer: Any
    client: Any
    booking: Any | None
    today: date


def merge_values(source: MergeSource) -> dict[str, str]:
    """Every merge field's value for this contract ("" when it has none)."""
    trainer, client, booking = source.trainer, source.client, source.booking
    values = {
        "client.first_name": client.first_name,
        "client.last_name": client.last_name,
        "client.full_name": client.full_name,
        "client.email": client.email,
        "client.phone": client.phone,
        "trainer.name": trainer.name,
        "trainer.business_name": trainer.display_name,
        "trainer.email": trainer.email,
        "today": f"{source.today.day} {source.today:%B %Y}",
        "booking.date": "",
        "booking.time": "",
        "booking.location": "",
        "service.name": "",
    }
    if booking is not None:
        tz_name = client.timezone or trainer.timezone or "UTC"
        local: datetime = booking.start.astimezone(zone(tz_name))
        service = booking.service
        location = booking.location or service.location or ("Online" if service.is_online else "")
        values.update(
            {
                "booking.date": f"{local:%A} {local.day} {local:%B %Y}",
                "booking.time": f"{local:%H:%M} ({tz_name})",
                "booking.location": location,
                "service.name": service.name,
            }
        )
    return values


def unresolved(body: str, values: dict[str, str]) -> list[str]:
    return [key for key in merge_keys(body) if not values.get(key, "").strip()]


def why_unresolved(keys: list[str], has_booking: bool) -> str:
    parts = []
    for key in keys:
        if key.startswith(("booking.", "service.")) and not has_booking:
            parts.append(f"{tag(key)} needs a booking")
        else:
            parts.append(f"{tag(key)} has no value for this client")
    return "Cannot send: " + "; ".join(parts) + "."


def render(body: str, values: dict[str, str]) -> str:
    """The body with every merge field replaced by its (escaped) value."""
    return MERGE_RE.sub(lambda m: html.escape(values.get(m.group(1).strip(), "")), body)


def sha256(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()
