"""Create the demo practice (once): `manage.py seed_demo`. Later runs change nothing.

Everything goes through the services, so the demo holds nothing the product would refuse
(buffers, hours, notice, seats, who may cancel when, what counts as late). A past session
cannot be booked today, so the history is played as it happened: the clock is frozen at each
moment of it in turn (a booking made a few days ahead, then completed, marked a no-show or
cancelled by the client), oldest first, and finally at the real "now" for the upcoming
bookings. The messages that history wrote are not news to anyone: its outbox rows are
dropped, so the demo queues only what it queued before (the upcoming bookings' messages).
Its clients are made up, so the trainer is marked `is_demo`: the worker logs those messages
as "not sent: demo account" and never hands them to a channel, even once SMTP is set up.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from trainerhub.accounts.models import User
from trainerhub.clients.models import Client
from trainerhub.core.errors import Conflict
from trainerhub.core.timezones import zone
from trainerhub.notifications.models import Notification
from trainerhub.notifications.services import notifications_mark_all_read
from trainerhub.portal.services import client_cancel
from trainerhub.scheduling import selectors, services
from trainerhub.scheduling.models import Booking, Service

EMAIL = "demo@trainerhub.local"
PASSWORD = "demo-password-2024"  # noqa: S105 - the published demo login
TZ = "Europe/London"
# The practice opened this long before today; its history of sessions covers the last 28 days.
OPENED_DAYS_AGO = 35
HISTORY_DAYS = 28

SERVICES = [
    {
        "name": "Personal training",
        "duration_minutes": 60,
        "price": Decimal("55.00"),
        "color": "#2563eb",
        "buffer_after_minutes": 15,
        "location": "Dana Moves Studio, Hackney",
        "description": "One-to-one strength and conditioning.",
    },
    {
        "name": "Free consultation",
        "duration_minutes": 30,
        "price": Decimal("0"),
        "color": "#16a34a",
        "max_per_day": 2,
        "description": "Meet, talk goals, plan.",
    },
    {
        "name": "Group HIIT",
        "duration_minutes": 90,
        "price": Decimal("15.00"),
        "capacity": 8,
        "color": "#ea580c",
        "slot_interval_minutes": 90,
        "location": "Studio 2",
    },
    {
        "name": "Online coaching",
        "duration_minutes": 45,
        "price": Decimal("40.00"),
        "color": "#9333ea",
        "requires_confirmation": True,
        "is_online": True,
        "meeting_kind": "jitsi",
        "location": "Video call (link sent by email)",
    },
]
CLIENTS = [
    ("Zoë", "Müller"),
    ("Amara", "Okafor"),
    ("Liam", "O'Connor"),
    ("Sofia", "García"),
    ("Hiroshi", "Tanaka"),
    ("Chloé", "Dubois"),
    ("Mateusz", "Kowalski"),
    ("Priya", "Sharma"),
    ("Jonas", "Åberg"),
    ("Fatima", "Al-Sayed"),
    ("Noah", "Williams"),
    ("Ingrid", "Bjørnsen"),
    ("Diego", "Fernández"),
    ("Aisling", "Ní Bhriain"),
    ("Ben", "Carter"),
]
CANCEL_REASONS = ["Feeling unwell", "Work trip came up", "Childcare fell through", "Injured ankle"]


class Command(BaseCommand):
    help = "Create the demo trainer with services, hours, clients and bookings (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        if User.objects.filter(email__iexact=EMAIL).exists():
            self.stdout.write("Demo data already exists.")
        else:
            counts = seed()
            self.stdout.write(self.style.SUCCESS(f"Created the demo practice: {counts}."))
        self.stdout.write(f"Demo login: {EMAIL} / {PASSWORD}")


def seed(now: datetime | None = None) -> str:
    """The demo practice as of `now` (default: the real now), in one transaction."""
    try:
        # In the project's lock file; only this command uses it outside the tests.
        import time_machine
    except ImportError as exc:
        raise CommandError("The demo needs time-machine: pip install -r requirements.lock") from exc

    now = (now or timezone.now()).replace(second=0, microsecond=0)
    rng = random.Random(2024)  # noqa: S311 - demo data, not security
    opened = now - timedelta(days=OPENED_DAYS_AGO)
    with time_machine.travel(opened, tick=False) as clock, transaction.atomic():
        trainer, catalogue, clients = _practice(now.astimezone(zone(TZ)).date())
        history = _play(_history(catalogue, clients, rng, now), clock)
        # Its messages were never sent and never will be (see the module's docstring).
        Notification.objects.filter(trainer=trainer, booking__in=history).delete()
        clock.move_to(now)
        notifications_mark_all_read(trainer=trainer)
        future = _seed_future(trainer, catalogue, clients, rng, now.astimezone(zone(TZ)).date())
    return f"{len(catalogue)} services, {len(clients)} clients, {len(history) + future} bookings"


def _practice(today: date) -> tuple[User, list[Service], list[Client]]:
    from trainerhub.clients.services import client_create

    trainer = User.objects.create_user(
        EMAIL,
        PASSWORD,
        name="Dana Demo",
        business_name="Dana Moves Studio",
        slug="demo",
        timezone=TZ,
        currency="GBP",
        is_demo=True,
        email_verified_at=timezone.now(),
    )
    catalogue = [
        services.service_create(
            trainer=trainer, currency="GBP", min_notice_minutes=60, max_advance_days=90, **fields
        )
        for fields in SERVICES
    ]
    for weekday in range(5):
        for start, end in (("07:00", "12:00"), ("15:00", "20:00")):
            services.weekly_interval_create(
                trainer=trainer,
                weekday=weekday,
                start=time.fromisoformat(start),
                end=time.fromisoformat(end),
            )
    services.weekly_interval_create(trainer=trainer, weekday=5, start=time(9), end=time(13))
    tz = zone(TZ)
    services.date_override_set(
        trainer=trainer,
        date=_next_weekday(today + timedelta(days=9), 0),
        closed=True,
        note="Bank holiday",
    )
    away = datetime.combine(_next_weekday(today + timedelta(days=12), 2), time(12), tz)
    services.time_off_create(
        trainer=trainer, start=away, end=away + timedelta(hours=5), reason="Physio course"
    )
    clients = [
        client_create(trainer=trainer, first_name=first, last_name=last, email=_email(first, last))
        for first, last in CLIENTS
    ]
    return trainer, catalogue, clients


def _email(first: str, last: str) -> str:
    local = f"{first}.{last}".lower().replace("'", "").replace(" ", "")
    return local.encode("ascii", "ignore").decode() + "@example.com"


def _next_weekday(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


@dataclass
class Visit:
    """One past session of one client, and how it turned out."""

    service: Service
    client: Client
    start: datetime
    outcome: str  # a Booking.Status: completed, no_show or cancelled
    booked_days_ahead: int
    cancelled_hours_ahead: int = 0
    reason: str = ""
    booking: Booking | None = None


def _history(
    catalogue: list[Service], clients: list[Client], rng: random.Random, now: datetime
) -> list[Visit]:
    """~25 sessions over the past four weeks: mostly completed, some cancelled, no-shows."""
    tz = zone(TZ)
    today = now.astimezone(tz).date()
    visits = []
    for days_ago in range(HISTORY_DAYS, 0, -1):
        day = today - timedelta(days=days_ago)
        if day.weekday() == 6:
            continue
        hours = [8, 10, 16, 18] if day.weekday() < 5 else [9, 11]
        for hour in rng.sample(hours, k=2 if days_ago % 5 == 0 else 1):
            # 18:00 on a weekday is the group class; the others are one-to-one sessions.
            service = catalogue[2] if hour == 18 else catalogue[0]
            seats = rng.randint(2, 4) if service.capacity > 1 else 1
            for client in rng.sample(clients, k=seats):
                visits.append(_visit(service, client, datetime.combine(day, time(hour), tz), rng))
    return visits


def _visit(service: Service, client: Client, start: datetime, rng: random.Random) -> Visit:
    roll = rng.random()
    visit = Visit(service, client, start, Booking.Status.COMPLETED, rng.choice([1, 2, 3, 5, 7]))
    if roll >= 0.88:
        visit.outcome = Booking.Status.NO_SHOW
    elif roll >= 0.7:
        visit.outcome = Booking.Status.CANCELLED
        # 3 and 20 hours ahead fall inside the default 24-hour window: late cancellations.
        visit.cancelled_hours_ahead = rng.choice([3, 20, 50])
        visit.reason = rng.choice(CANCEL_REASONS)
        # Booked before it was cancelled.
        visit.booked_days_ahead = max(
            visit.booked_days_ahead, visit.cancelled_hours_ahead // 24 + 1
        )
    return visit


def _play(visits: list[Visit], clock: Any) -> list[Booking]:
    """Every step of the history at its own moment, oldest first, through the services."""
    steps: list[tuple[datetime, int, Callable[[], None]]] = []
    for n, visit in enumerate(visits):
        steps.append((visit.start - timedelta(days=visit.booked_days_ahead), n, _booker(visit)))
        steps.append((_outcome_moment(visit), n, _finisher(visit)))
    steps.sort(key=lambda step: (step[0], step[1]))
    for moment, _n, act in steps:
        clock.move_to(moment)
        act()
    return [visit.booking for visit in visits if visit.booking is not None]


def _booker(visit: Visit) -> Callable[[], None]:
    def book() -> None:
        visit.booking = services.booking_create(
            trainer=visit.service.trainer,
            client=visit.client,
            service=visit.service,
            start=visit.start,
            source=Booking.Source.TRAINER,
        )

    return book


def _outcome_moment(visit: Visit) -> datetime:
    if visit.outcome == Booking.Status.CANCELLED:
        return visit.start - timedelta(hours=visit.cancelled_hours_ahead)
    if visit.outcome == Booking.Status.NO_SHOW:
        return visit.start + timedelta(minutes=20)
    return visit.start + timedelta(minutes=visit.service.duration_minutes + 30)


def _finisher(visit: Visit) -> Callable[[], None]:
    def finish() -> None:
        booking = visit.booking
        assert booking is not None  # booked at an earlier moment
        if visit.outcome == Booking.Status.CANCELLED:
            # The client's own cancel: the portal decides whether it is late (the window).
            client_cancel(booking=booking, reason=visit.reason)
        elif visit.outcome == Booking.Status.NO_SHOW:
            services.booking_mark_no_show(booking=booking, actor=Booking.Source.TRAINER)
        else:
            services.booking_complete(booking=booking, actor=Booking.Source.TRAINER)

    return finish


def _seed_future(
    trainer: User, catalogue: list[Service], clients: list, rng: random.Random, today: date
) -> int:
    """~16 bookings over the next three weeks through booking_create (all rules apply)."""
    made = 0
    first, last = today + timedelta(days=1), today + timedelta(days=21)
    plan = [0] * 7 + [2] * 2 + [1] * 2 + [3] * 3
    for index in plan:
        service = catalogue[index]
        offers = selectors.slots_for_service(
            trainer=trainer, service=service, first_day=first, last_day=last
        )
        rng.shuffle(offers)
        for slot in offers[:5]:
            # A group session gets a few attendees, the others one client each.
            attendees = rng.sample(clients, k=3 if service.capacity > 1 else 1)
            try:
                for client in attendees:
                    services.booking_create(
                        trainer=trainer,
                        client=client,
                        service=service,
                        start=slot.start,
                        source=Booking.Source.CLIENT if index == 3 else Booking.Source.TRAINER,
                    )
                    made += 1
            except Conflict:
                continue
            break
    return made
