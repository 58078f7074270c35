"""The short text of a client's message (SMS, and Telegram, which sends the same words):
one SMS segment, 160 GSM-7 characters, wherever the facts allow it.

A character outside GSM-7 turns the whole SMS into UCS-2 (70 characters a segment), so
names are folded to GSM-7 first ("Zoë" becomes "Zoe"). Then, when the text is too long, the
shortening rule takes the first of these that fits:
  1. the zone by its abbreviation ("BST") instead of its name ("Europe/London");
  2. the service name cut, with "...", down to SERVICE_MIN characters;
  3. a shorter wording (without the old time of a move, then the link without "Manage:"),
     trying 1 and 2 again;
  4. the same without " with <business>";
  5. the service name cut to whatever room is left (the time and the link are never cut).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from trainerhub.core.timezones import zone
from trainerhub.notifications.models import Kind

SEGMENT = 160
SERVICE_MIN = 16
ELLIPSIS = "..."

GSM7_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = "^{}\\[~]|€\f"  # each takes two characters (an escape and the character)
# Common characters outside GSM-7 and their nearest GSM-7 spelling.
FOLD = {
    "\u2018": "'",  # quotation marks
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2013": "-",  # dashes
    "\u2014": "-",
    "\u2026": "...",
    "\u00a0": " ",
    "\u0141": "L",  # letters with a stroke, which have no decomposition
    "\u0142": "l",
    "\u0110": "D",
    "\u0111": "d",
}


def gsm7_length(text: str) -> int | None:
    """Characters the text takes in a GSM-7 SMS, or None when it cannot be sent as GSM-7."""
    length = 0
    for char in text:
        if char in GSM7_BASIC:
            length += 1
        elif char in GSM7_EXTENDED:
            length += 2
        else:
            return None
    return length


def to_gsm7(text: str) -> str:
    """The text in GSM-7 characters: accents that GSM-7 lacks dropped, the rest as "?"."""
    out = []
    for char in text:
        if char in GSM7_BASIC or char in GSM7_EXTENDED:
            out.append(char)
            continue
        folded = FOLD.get(char) or "".join(
            c for c in unicodedata.normalize("NFKD", char) if c in GSM7_BASIC
        )
        out.append(folded or "?")
    return "".join(out)


def _clip(text: str, room: int) -> str:
    if len(text) <= room:
        return text
    return text[: max(room - len(ELLIPSIS), 1)] + ELLIPSIS


def _when(value: datetime, tz_name: str) -> tuple[str, str]:
    """The start in the client's zone, named by the zone (long) or its abbreviation."""
    local = value.astimezone(zone(tz_name))
    day = f"{local:%a} {local.day} {local:%b} {local:%H:%M}"
    return f"{day} ({tz_name})", f"{day} {local:%Z}"


Template = Callable[[str, str, str], str]


def fit(
    templates: Sequence[Template], *, service: str, business: str, whens: tuple[str, str]
) -> str:
    """The first text of the shortening rule (module docstring) that fits one segment;
    `templates` go from the fullest wording to the shortest."""
    service, business = to_gsm7(service), to_gsm7(business)
    whens = (to_gsm7(whens[0]), to_gsm7(whens[1]))
    for with_business in (business, ""):
        for template in templates:
            for when in whens:
                text = template(service, with_business, when)
                if _length(text) <= SEGMENT:
                    return text
            room = SEGMENT - _length(template("", with_business, whens[1]))
            if room >= SERVICE_MIN:
                return template(_clip(service, room), with_business, whens[1])
    shortest = templates[-1]
    room = SEGMENT - _length(shortest("", "", whens[1]))
    return shortest(_clip(service, max(room, 1)), "", whens[1])


def _length(text: str) -> int:
    return gsm7_length(text) or len(text) * 2  # not GSM-7 (a link's odd character): too long


def client_text(kind: str, ctx: dict[str, Any]) -> str:
    """The SMS of a client message from its composition context (messages.build_context)."""
    facts, tz_name = ctx["facts"], ctx["tz_name"]
    whens = _when(facts.start, tz_name)
    link = ctx.get("manage_url", "")
    book = ctx.get("book_url", "")
    tails = (f". Manage: {link}", f". {link}") if link else (".",)
    old = ctx.get("event", {}).get("old_start", "")
    was = _when(datetime.fromisoformat(old), tz_name)[1].rsplit(" ", 1)[0] if old else ""
    offset = ctx.get("offset_label") or "soon"

    def with_(business: str) -> str:
        return f" with {business}" if business else ""

    def wordings(head: Callable[[str, str, str], str], extras: tuple[str, ...] = ("",)):
        # Fullest first: every extra (the old time) with every tail, then without them.
        return [
            (lambda s, b, w, e=extra, t=tail: head(s, b, w) + e + t)
            for extra in extras
            for tail in tails
        ]

    heads: dict[str, list[Template]] = {
        Kind.BOOKING_CONFIRMED: wordings(lambda s, b, w: f"Booked: {s}{with_(b)}, {w}"),
        Kind.REQUEST_RECEIVED: wordings(
            lambda s, b, w: f"Requested: {s}{with_(b)}, {w}, to be confirmed"
        ),
        Kind.BOOKING_RESCHEDULED: wordings(
            lambda s, b, w: f"Moved: {s}{with_(b)} is now {w}",
            (f" (was {was})", "") if was else ("",),
        ),
        Kind.REMINDER: wordings(
            lambda s, b, w: (
                f"Reminder: {s} "
                + (f"in {offset}" if offset != "soon" else "soon")
                + f"{with_(b)}, {w}"
            )
        ),
        Kind.BOOKING_CANCELLED: [
            lambda s, b, w: (
                f"Cancelled: {s}{with_(b)}, {w}." + (f" Book again: {book}" if book else "")
            )
        ],
        Kind.REQUEST_DECLINED: [
            lambda s, b, w: (
                f"Not accepted: {s}{with_(b)}, {w}."
                + (f" Book another time: {book}" if book else "")
            ),
        ],
    }
    templates = heads.get(kind)
    if not templates:
        return ""
    return fit(templates, service=facts.service_name, business=ctx["business_name"], whens=whens)
