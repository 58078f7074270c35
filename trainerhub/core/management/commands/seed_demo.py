"""Create the demo practice (once): `manage.py seed_demo`. Later runs change nothing.

Everything goes through the services where the rules allow it (services, hours, clients,
upcoming bookings). Past sessions cannot be booked through `booking_create` (nothing is
accepted in the past), so they are written directly here, with their history row, never
overlapping each other.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from trainerhub.accounts.models import User
from trainerhub.core.errors import Conflict
from trainerhub.core.timezones import zone
from trainerhub.scheduling import selectors, services
from trainerhub.scheduling.models import Booking, BookingEvent, Service, Session

EMAIL = "demo@trainerhub.local"
PASSWORD = "demo-password-2024"  # noqa: S105 - the published demo login
TZ = "Europe/London"

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
            with transaction.atomic():
                counts = seed()
            self.stdout.write(self.style.SUCCESS(f"Created the demo practice: {counts}."))
        self.stdout.write(f"Demo login: {EMAIL} / {PASSWORD}")


def seed() -> str:
    from trainerhub.clients.services import client_create

    rng = random.Random(2024)  # noqa: S311 - demo data, not security
    trainer = User.objects.create_user(
        EMAIL,
        PASSWORD,
        name="Dana Demo",
        business_name="Dana Moves Studio",
        slug="demo",
        timezone=TZ,
        currency="GBP",
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
    today = timezone.now().astimezone(tz).date()
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
        client_create(
            trainer=trainer,
            first_name=first,
            last_name=last,
            email=f"{first}.{last}".lower()
            .replace("'", "")
            .replace(" ", "")
            .encode("ascii", "ignore")
            .decode()
            + "@example.com",
        )
        for first, last in CLIENTS
    ]
    past = _seed_past(trainer, catalogue, clients, rng, today)
    future = _seed_future(trainer, catalogue, clients, rng, today)
    return f"{len(catalogue)} services, {len(clients)} clients, {past + future} bookings"


def _next_weekday(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _seed_past(
    trainer: User, catalogue: list[Service], clients: list, rng: random.Random, today: date
) -> int:
    """~24 sessions over the past four weeks: mostly completed, some cancelled, no-shows."""
    tz = zone(TZ)
    made = 0
    for days_ago in range(28, 0, -1):
        day = today - timedelta(days=days_ago)
        if day.weekday() == 6:
            continue
        hours = [8, 10, 16, 18] if day.weekday() < 5 else [9, 11]
        for hour in rng.sample(hours, k=2 if days_ago % 5 == 0 else 1):
            service = catalogue[0] if hour != 18 else catalogue[2]
            start = datetime.combine(day, time(hour), tz)
            roll = rng.random()
            status = (
                Booking.Status.COMPLETED
                if roll < 0.7
                else Booking.Status.CANCELLED
                if roll < 0.88
                else Booking.Status.NO_SHOW
            )
            _past_booking(trainer, service, rng.choice(clients), start, status, rng)
            made += 1
    return made


def _past_booking(
    trainer: User, service: Service, client: Any, start: datetime, status: str, rng: random.Random
) -> None:
    end = start + timedelta(minutes=service.duration_minutes)
    session = Session.objects.create(
        trainer=trainer,
        service=service,
        start=start,
        end=end,
        blocked_start=start - timedelta(minutes=service.buffer_before_minutes),
        blocked_end=end + timedelta(minutes=service.buffer_after_minutes),
        capacity=service.capacity,
        active=status == Booking.Status.COMPLETED,
    )
    cancelled = status == Booking.Status.CANCELLED
    booking = Booking.objects.create(
        trainer=trainer,
        session=session,
        client=client,
        service=service,
        start=start,
        end=end,
        status=status,
        location=service.location,
        price=service.price,
        currency=service.currency,
        created_by=Booking.Source.TRAINER,
        cancellation_reason=rng.choice(CANCEL_REASONS) if cancelled else "",
        cancelled_by=Booking.Source.CLIENT if cancelled else "",
        cancelled_at=start - timedelta(hours=rng.choice([3, 20, 50])) if cancelled else None,
    )
    booking.late_cancellation = bool(cancelled and booking.cancelled_at > start - timedelta(days=1))
    booking.save(update_fields=["late_cancellation"])
    history = [(BookingEvent.Kind.CREATED, {"start": start.isoformat()})]
    kind = {
        Booking.Status.COMPLETED: BookingEvent.Kind.COMPLETED,
        Booking.Status.CANCELLED: BookingEvent.Kind.CANCELLED,
        Booking.Status.NO_SHOW: BookingEvent.Kind.NO_SHOW,
    }[status]
    history.append((kind, {"reason": booking.cancellation_reason} if cancelled else {}))
    for kind, data in history:
        BookingEvent.objects.create(
            trainer=trainer, booking=booking, kind=kind, actor="trainer", data=data
        )


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
