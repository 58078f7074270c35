"""The search key of a client: lowercase, accent-free name and email plus phone digits.

The same normalisation applies to the query, so `search_text__contains` answers case- and
accent-insensitive search with one indexed column on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

import phonenumbers

if TYPE_CHECKING:
    from trainerhub.clients.models import Client

_PHONE_LIKE = re.compile(r"^[\d\s+().\-/]+$")
# Letters NFKD does not decompose into a base letter plus an accent.
_FOLD = str.maketrans(
    {
        "ø": "o",
        "æ": "ae",
        "œ": "oe",
        "ß": "ss",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "\u0131": "i",
    }
)


def normalise(text: str) -> str:
    """'  Zoë  MÜLLER ' -> 'zoe muller'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().translate(_FOLD).split())


def digits(text: str) -> str:
    return "".join(ch for ch in text or "" if ch.isdigit())


def phone_search_digits(phone: str) -> str:
    """International and national digits, so '+44 7700…' and '07700…' both match."""
    if not phone:
        return ""
    forms = {digits(phone)}
    try:
        number = phonenumbers.parse(phone, None)
        forms.add(
            digits(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL))
        )
    except phonenumbers.NumberParseException:
        pass
    return " ".join(sorted(f for f in forms if f))


def build_search_text(client: Client) -> str:
    parts = [
        normalise(client.first_name),
        normalise(client.last_name),
        normalise(client.email),
        phone_search_digits(client.phone),
    ]
    return " ".join(p for p in parts if p)


def query_terms(query: str) -> list[str]:
    """Words every one of which must appear; a phone-looking query becomes its digits."""
    query = (query or "").strip()[:200]
    if not query:
        return []
    if _PHONE_LIKE.match(query) and len(digits(query)) >= 2:
        return [digits(query)]
    return normalise(query).split()[:8]
