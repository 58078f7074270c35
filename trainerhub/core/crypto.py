"""Secrets a trainer enters (calendar addresses, payment keys, SMS credentials) are stored
encrypted at rest, so a copy of the database or a backup does not hand them out.

The key comes from `FIELD_ENCRYPTION_KEY` (any long random string; several separated by commas
to rotate: the first encrypts, every one decrypts), else it is derived from `SECRET_KEY`.
Either way HKDF-SHA256 turns the string into a Fernet key (AES-128-CBC with HMAC-SHA256,
from the well-kept `cryptography` package). Rotating `SECRET_KEY` without keeping the old one
in `FIELD_ENCRYPTION_KEY` makes the stored secrets unreadable: `DecryptionFailed` says so.

Stored values start with `enc1:`; a value without it is a legacy plain value and is read as
it is (the migration that turns a column encrypted re-saves every row).
"""

from __future__ import annotations

import base64
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import models

PREFIX = "enc1:"


class DecryptionFailed(Exception):
    """A stored secret cannot be read with the configured keys."""


def _fernet_key(secret: str) -> bytes:
    raw = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"trainerhub field encryption"
    ).derive(secret.encode())
    return base64.urlsafe_b64encode(raw)


@cache
def _cipher(secrets: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(_fernet_key(s)) for s in secrets])


def _secrets() -> tuple[str, ...]:
    configured = [
        s.strip() for s in (getattr(settings, "FIELD_ENCRYPTION_KEY", "") or "").split(",")
    ]
    keys = tuple(s for s in configured if s)
    return keys or (settings.SECRET_KEY,)


def encrypt(value: str) -> str:
    if value == "":
        return ""
    return PREFIX + _cipher(_secrets()).encrypt(value.encode()).decode()


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        return stored
    try:
        return _cipher(_secrets()).decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        raise DecryptionFailed(
            "A stored secret cannot be decrypted: SECRET_KEY or FIELD_ENCRYPTION_KEY changed. "
            "Put the previous key back in FIELD_ENCRYPTION_KEY (after the new one, comma "
            "separated) to read and re-encrypt it."
        ) from None


def mask(value: str, *, keep: int = 4) -> str:
    """What a page shows of a secret: its last few characters."""
    if not value:
        return ""
    return "•" * 8 + value[-keep:] if len(value) > keep * 2 else "•" * 8


class EncryptedTextField(models.TextField):
    """A TextField whose value is encrypted in the database; the Python value is plain.
    It cannot be filtered on (each encryption differs)."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return value if value is None else decrypt(value)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            return decrypt(value)
        return value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return value if value is None else encrypt(str(value))
