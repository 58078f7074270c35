"""Render an outbox row into the message its channel sends, at send time, from templates
`emails/<kind>-subject.txt`, `-body.txt`, `-body.html`, with times in the recipient's zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse

from trainerhub.accounts.branding import brand_for
from trainerhub.core.timezones import local_day_bounds, zone
from trainerhub.notifications import documents, ics, sms
from trainerhub.notifications.channels.base import Outgoing
from trainerhub.notifications.facts import (
    FACTS_KEY,
    BookingFacts,
    client_timezone,
    current,
    meeting_link,
    thaw,
)
from trainerhub.notifications.models import Channel, Kind, Notification

UNSUBSCRIBE_SALT = "trainerhub.notifications.unsubscribe"
ICS_METHODS: dict[str, str] = {
    Kind.BOOKING_CONFIRMED: "REQUEST",
    Kind.BOOKING_RESCHEDULED: "REQUEST",
    Kind.BOOKING_CANCELLED: "CANCEL",
    # The invitation again, now with the meeting's link (URL, LOCATION, description).
    Kind.MEETING_LINK: "REQUEST",
}


# The messages of a booking that stands: they carry the online session's video-call link.
VIDEO_LINK_KINDS = {
    Kind.BOOKING_CONFIRMED,
    Kind.BOOKING_RESCHEDULED,
    Kind.REMINDER,
    Kind.SERIES_BOOKED,
    Kind.MEETING_LINK,
}
# The messages of a booking that no longer stands: nothing left to cancel or move, and no
# reminders to stop for it, so they offer booking another time instead.
CLOSED_KINDS = {Kind.BOOKING_CANCELLED, Kind.REQUEST_DECLINED, Kind.SERIES_CANCELLED}


class Undeliverable(Exception):
    """The message cannot go to anyone (no address, chat not linked...): not retried."""


def format_when(value: datetime, tz_name: str) -> str:
    local = value.astimezone(zone(tz_name))
    return f"{local:%A} {local.day} {local:%B %Y}, {local:%H:%M} ({tz_name})"


def unsubscribe_token(client) -> str:
    return signing.dumps({"c": client.pk}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(client) -> str:
    return f"{settings.SITE_URL}/notifications/unsubscribe/{unsubscribe_token(client)}/"


def client_from_unsubscribe_token(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=UNSUBSCRIBE_SALT)["c"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def _url(name: str, *args: Any) -> str:
    try:
        return settings.SITE_URL + reverse(name, args=args)
    except NoReverseMatch:
        return ""


def booking_page_url(booking) -> str:
    for name in ("scheduling:booking_detail", "scheduling:booking"):
        url = _url(name, booking.pk)
        if url:
            return url
    return _url("scheduling:bookings") or settings.SITE_URL + "/"


def _actor_label(actor: str, recipient: str, trainer) -> str:
    if actor == "client":
        return "you" if recipient == Notification.Recipient.CLIENT else "the client"
    return trainer.display_name if recipient == Notification.Recipient.CLIENT else "you"


@dataclass(frozen=True)
class FrozenService:
    """What the templates read of `service`, as the message's change left it."""

    name: str
    is_online: bool


@dataclass(frozen=True)
class FrozenPerson:
    """What the templates read of `client`: names as of the change, the address as now."""

    first_name: str
    full_name: str
    email: str


def row_facts(row: Notification) -> BookingFacts | None:
    """The facts a row's message tells: frozen at the change for every change message; for
    reminders (which freeze none, see outbox.ensure_reminders) and rows written before facts
    were frozen, the booking as it is now."""
    booking = row.booking
    if booking is None:
        return None
    frozen = thaw((row.context or {}).get(FACTS_KEY))
    if frozen is not None:
        return frozen
    return current(booking, client_tz=client_timezone(row.client, row.trainer))


def _recipient_zone(row: Notification, facts: BookingFacts | None) -> str:
    if row.recipient != Notification.Recipient.CLIENT:
        return row.trainer.timezone or "UTC"
    if facts is not None and facts.client_timezone:
        return facts.client_timezone
    return client_timezone(row.client, row.trainer)


def build_context(row: Notification) -> dict[str, Any]:
    trainer, booking, client = row.trainer, row.booking, row.client
    is_client = row.recipient == Notification.Recipient.CLIENT
    facts = row_facts(row)
    tz_name = _recipient_zone(row, facts)
    ctx: dict[str, Any] = {
        "kind": row.kind,
        "trainer": trainer,
        "business_name": trainer.display_name,
        # The client's emails wear the trainer's brand; the trainer's own keep the product's.
        "brand": brand_for(trainer, absolute=True) if is_client else None,
        "client": client,
        "booking": booking,
        "event": row.context or {},
        "tz_name": tz_name,
        "site_url": settings.SITE_URL,
        "offset_label": _offset_label(row.offset_minutes),
        "for_client": is_client,
    }
    if booking is not None and facts is not None:
        ctx.update(
            facts=facts,
            service=FrozenService(name=facts.service_name, is_online=facts.is_online),
            client=FrozenPerson(
                first_name=facts.client_first_name,
                full_name=facts.client_full_name,
                email=getattr(client, "email", ""),
            ),
            location=facts.location,
            when=format_when(facts.start, tz_name),
            ends=f"{facts.end.astimezone(zone(tz_name)):%H:%M}",
            booking_url=booking_page_url(booking),
            actor_label=_actor_label(row.context.get("actor", ""), row.recipient, trainer),
        )
        if is_client and row.kind in VIDEO_LINK_KINDS:
            # Given once booked, never on the public page (anyone could join otherwise).
            ctx["video_url"] = meeting_link(booking, facts)
        old = (row.context or {}).get("old_start")
        if old:
            ctx["old_when"] = format_when(datetime.fromisoformat(old), tz_name)
    if is_client:
        ctx.update(client_links_context(row))
    if row.kind in SERIES_KINDS:
        ctx.update(_series_context(row.context or {}, tz_name))
    if is_client and row.kind in REACH_KINDS and client is not None:
        ctx["reach"] = _reach(row)
    if row.kind == Kind.TRAINER_DAILY_AGENDA:
        ctx.update(_agenda_context(trainer, row.context.get("date", ""), tz_name))
    if row.kind == Kind.WELCOME:
        ctx["dashboard_url"] = _url("dashboard:home") or settings.SITE_URL + "/"
    ctx.update(documents.extra_context(row))
    return ctx


# A series is told in one message: its dates (and, when booked, the dates it skipped).
SERIES_KINDS = {Kind.SERIES_BOOKED, Kind.SERIES_CANCELLED}
# The client's first confirmation tells them their calendar feed and Telegram link.
REACH_KINDS = {Kind.BOOKING_CONFIRMED, Kind.SERIES_BOOKED}


def _series_context(event: dict[str, Any], tz_name: str) -> dict[str, Any]:
    """The dates frozen into the row at the change, in the recipient's zone."""

    def when(raw: Any) -> str:
        try:
            return format_when(datetime.fromisoformat(str(raw)), tz_name)
        except ValueError:
            return ""

    dates = [when(d.get("start")) for d in event.get("dates", []) if isinstance(d, dict)]
    skipped = [
        {"when": when(d.get("start")), "detail": str(d.get("detail", ""))}
        for d in event.get("skipped", [])
        if isinstance(d, dict)
    ]
    return {"series_dates": [d for d in dates if d], "series_skipped": skipped}


def client_links_context(row: Notification) -> dict[str, str]:
    """The links a client's message offers, only those that still apply: manage (cancel or
    reschedule) while the booking stands, "stop reminders" while they still get reminders,
    "book another time" once it no longer stands."""
    from trainerhub.notifications.prefs import reminders_stopped

    booking, client, trainer = row.booking, row.client, row.trainer
    links: dict[str, str] = {}
    if row.kind in CLOSED_KINDS:
        if trainer.slug:
            links["book_url"] = _url("portal:book", trainer.slug)
        return links
    if booking is not None and ics.manage_url(booking):
        links["manage_url"] = ics.manage_url(booking)
    if client is not None and not reminders_stopped(client):
        links["unsubscribe_url"] = unsubscribe_url(client)
    return links


def _reach(row: Notification):
    """The client's calendar feed and Telegram link, told once, with the confirmation."""
    from trainerhub.notifications.reach import client_reach, sample_reach

    # The preview's sample row and client are not saved: no feed may be issued for them.
    if not row.pk:
        return sample_reach(settings.SITE_URL)
    if row.client is None:
        raise Undeliverable("The client no longer exists.")
    return client_reach(row.client)


def _offset_label(minutes: int) -> str:
    if not minutes:
        return ""
    if minutes % (24 * 60) == 0:
        days = minutes // (24 * 60)
        return "24 hours" if days == 1 else f"{days} days"
    if minutes % 60 == 0:
        return f"{minutes // 60} hour{'s' if minutes != 60 else ''}"
    return f"{minutes} minutes"


def _agenda_context(trainer, day_iso: str, tz_name: str) -> dict[str, Any]:
    from trainerhub.scheduling.models import Booking

    day = date.fromisoformat(day_iso)
    tz = zone(tz_name)
    start, end = local_day_bounds(tz_name, day, day)
    bookings = (
        Booking.objects.filter(
            trainer=trainer,
            status__in=Booking.ACTIVE_STATUSES,
            start__gte=start,
            start__lt=end,
        )
        .select_related("client", "service")
        .order_by("start")
    )
    items = [
        {"time": f"{b.start.astimezone(tz):%H:%M}", "booking": b, "pending": b.status == "pending"}
        for b in bookings
    ]
    return {"agenda_day": f"{day:%A} {day.day} {day:%B %Y}", "agenda": items}


def render_parts(kind: str, ctx: dict[str, Any]) -> tuple[str, str, str]:
    subject = " ".join(render_to_string(f"emails/{kind}-subject.txt", ctx).split())
    text = render_to_string(f"emails/{kind}-body.txt", ctx).strip() + "\n"
    html = render_to_string(f"emails/{kind}-body.html", {**ctx, "subject": subject})
    return subject, text, html


def recipient_address(row: Notification) -> str:
    from trainerhub.notifications.prefs import client_links

    if row.recipient == Notification.Recipient.TRAINER:
        if not row.trainer.email:
            raise Undeliverable("The trainer has no email address.")
        return row.trainer.email
    client = row.client
    if client is None:
        raise Undeliverable("The client no longer exists.")
    if row.channel == Channel.EMAIL:
        if not client.email:
            raise Undeliverable("The client has no email address.")
        return client.email
    if row.channel == Channel.SMS:
        if not client.phone:
            raise Undeliverable("The client has no phone number.")
        return client.phone
    if row.channel == Channel.TELEGRAM:
        links = client_links(client)
        if not links or not links.telegram_chat_id:
            raise Undeliverable("The client has not linked Telegram.")
        return links.telegram_chat_id
    raise Undeliverable(f"No recipient for channel {row.channel}.")


def render(row: Notification) -> Outgoing:
    ctx = build_context(row)
    subject, text, html = render_parts(row.kind, ctx)
    is_client = row.recipient == Notification.Recipient.CLIENT
    # A client's SMS is one segment where possible (sms.py); the rest read short.txt.
    short = sms.client_text(row.kind, ctx) if is_client and "facts" in ctx else ""
    short = short or " ".join(
        render_to_string("notifications/short.txt", {**ctx, "subject": subject}).split()
    )
    headers: dict[str, str] = {}
    if ctx.get("unsubscribe_url"):
        headers["List-Unsubscribe"] = f"<{ctx['unsubscribe_url']}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    method = ICS_METHODS.get(row.kind, "") if row.booking is not None else ""
    return Outgoing(
        to=recipient_address(row),
        subject=subject,
        text=text,
        html=html,
        short_text=short,
        from_name=row.trainer.display_name,
        reply_to=row.trainer.email if is_client else "",
        ics=ics.invitation(row.booking, method, ctx.get("facts")) if method and is_client else None,
        ics_method=method,
        headers=headers,
        attachments=documents.attachments_for(row) if row.channel == Channel.EMAIL else (),
    )


def in_app_text(row: Notification) -> tuple[str, str, str]:
    """Title, body and link of a trainer's in-app notification."""
    ctx = build_context(row)
    subject, _text, _ = render_parts(row.kind, ctx)
    body = render_to_string("notifications/short.txt", {**ctx, "subject": ""}).strip()
    return subject, body, ctx.get("booking_url", "")


def client_in_app_text(row: Notification) -> tuple[str, str, str]:
    """Title, body and link of a client's in-app notification (their portal's centre): the
    email's subject, the session in a line, and where to act on it."""
    ctx = build_context(row)
    title = " ".join(render_to_string(f"emails/{row.kind}-subject.txt", ctx).split())
    body = render_to_string(
        "notifications/short.txt", {**ctx, "subject": "", "manage_url": ""}
    ).strip()
    if row.booking_id is not None:
        url = reverse("portal:my_booking", args=[row.booking_id])
    elif row.kind == Kind.CONTRACT_REQUEST:
        url = str((row.context or {}).get("sign_url") or "")
    else:
        url = str((ctx.get("invoice") or {}).get("url") or "")
    # Within the site, a path: the centre is on this site, whatever SITE_URL says.
    return title, body, url.removeprefix(settings.SITE_URL)
