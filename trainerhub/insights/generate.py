"""A generated practice for insights: clients who come in a rhythm, some of whom stop.

Used by `manage.py insights_sample` (a data set to look at, or to measure), by the at-risk
rule's test (planted lapsing clients it must find) and by `bench/insights.py` (years of
data). Rows are written in bulk, the way an import would: every session sits on its own
half-hour of a 06:00-22:00 grid, so no two blocked ranges ever overlap (the database's
guard on PostgreSQL holds).

Each client has a usual gap (3 to 28 days) and visits every gap, a day either way. A
*regular* client is still coming: their last visit was less than 1.5 gaps ago, or they have
a booking ahead. A *planted* lapsing client stopped: their last visit was 2.5 to 8 gaps ago
(and at least 20 days), nothing booked. Between visits there are cancellations (some late,
with reasons) and no-shows, which are not visits.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from trainerhub.accounts.models import User
from trainerhub.clients.models import Client
from trainerhub.clients.search import build_search_text
from trainerhub.core.timezones import zone
from trainerhub.scheduling import services as scheduling_services
from trainerhub.scheduling.models import Booking, Service, Session

GAPS = (3, 7, 7, 7, 10, 14, 14, 21, 28)
REASONS = (
    "Feeling sick",
    "Work meeting ran over",
    "Travelling this week",
    "Family matter",
    "Forgot, sorry",
    "Traffic",
    "",
    "Something came up",
)
FIRST = ("Ava", "Ben", "Cleo", "Dev", "Ema", "Finn", "Gia", "Hugo", "Ines", "Jon", "Kai", "Lea")
LAST = ("Adams", "Brook", "Chen", "Diaz", "Evans", "Ford", "Gray", "Hale", "Iqbal", "Jones")
SLOT = timedelta(minutes=30)
SLOTS_A_DAY = 32  # 06:00 to 22:00


@dataclass
class Generated:
    clients: list[int] = field(default_factory=list)
    planted: set[int] = field(default_factory=set)
    sessions: int = 0
    services: list[int] = field(default_factory=list)


class _Grid:
    """Which half-hours of which local days are taken (one session each)."""

    def __init__(self, tz_name: str) -> None:
        self.tz = zone(tz_name)
        self.taken: dict[date, set[int]] = {}

    def place(self, day: date, rng: random.Random, length: int) -> datetime | None:
        used = self.taken.setdefault(day, set())
        first = rng.randrange(4, SLOTS_A_DAY - length)  # most sessions from 08:00
        for offset in range(SLOTS_A_DAY):
            slot = (first + offset) % (SLOTS_A_DAY - length + 1)
            wanted = set(range(slot, slot + length))
            if not used & wanted:
                used |= wanted
                return datetime.combine(day, time(6), tzinfo=self.tz) + slot * SLOT
        return None


def _services(trainer: User) -> list[Service]:
    found = list(Service.objects.filter(trainer=trainer, is_active=True).order_by("id"))
    if found:
        return found
    specs = (("Personal training", 60, "55.00"), ("Express session", 30, "30.00"))
    return [
        scheduling_services.service_create(
            trainer=trainer,
            name=name,
            duration_minutes=minutes,
            price=price,
            currency="GBP",
            min_notice_minutes=0,
            max_advance_days=365,
        )
        for name, minutes, price in specs
    ]


@transaction.atomic
def generate(
    trainer: User,
    *,
    clients: int = 60,
    days: int = 365,
    planted_share: float = 0.25,
    churned_share: float = 0.0,
    visits_per_client: int | None = None,
    seed: int = 1,
    now: datetime | None = None,
) -> Generated:
    """Write the practice for `trainer` (see the module's docstring); the clients' ids and
    which of them were planted come back. visits_per_client caps each client's history;
    churned_share of the clients stopped long ago (lapsed, counted as planted too)."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible data set, not a secret
    now = now or timezone.now()
    tz = zone(trainer.timezone)
    today = now.astimezone(tz).date()
    horizon = today - timedelta(days=days)
    grid = _Grid(trainer.timezone)
    offered = _services(trainer)
    result = Generated(services=[s.pk for s in offered])
    people = []
    for i in range(clients):
        person = Client(
            trainer=trainer,
            first_name=f"{FIRST[i % len(FIRST)]}{i}",
            last_name=LAST[(i // len(FIRST)) % len(LAST)],
            email=f"sample{i}@example.com",
        )
        person.search_text = build_search_text(person)
        people.append(person)
    Client.objects.bulk_create(people)
    sessions: list[Session] = []
    bookings: list[Booking] = []
    for person in people:
        gap = rng.choice(GAPS)
        roll = rng.random()
        planted = roll < planted_share + churned_share
        if roll < churned_share:  # stopped long ago: lapsed, spread over the whole history
            since = rng.randint(max(20, gap * 4), max(gap * 4 + 1, days - gap * 3))
        elif planted:
            since = max(20, round(gap * rng.uniform(2.5, 8)))
        else:
            since = rng.randint(0, max(0, int(gap * 1.5) - 1))
        last_visit = today - timedelta(days=since)
        span = min(days - since, gap * (visits_per_client or 10_000))
        first_visit = last_visit - timedelta(days=rng.randint(gap * 2, max(gap * 2, span)))
        first_visit = max(first_visit, horizon)
        day, schedule = last_visit, []
        while day >= first_visit:
            schedule.append(day)
            day -= timedelta(days=max(1, gap + rng.randint(-1, 1)))
        schedule.reverse()
        if len(schedule) < 2:  # a rhythm needs two visits to show
            schedule = [last_visit - timedelta(days=gap), last_visit]
        ahead = not planted and rng.random() < 0.5
        if ahead:
            schedule.append(today + timedelta(days=rng.randint(1, gap)))
        result.clients.append(person.pk)
        if planted:
            result.planted.add(person.pk)
        for n, day in enumerate(schedule):
            service = offered[0] if rng.random() < 0.7 or len(offered) == 1 else offered[1]
            length = max(1, -(-service.duration_minutes // 30))
            start = grid.place(day, rng, length)
            if start is None:
                continue
            end = start + timedelta(minutes=service.duration_minutes)
            future = start >= now
            final = n >= len(schedule) - (2 if ahead else 1)
            status = Booking.Status.CONFIRMED if future else Booking.Status.COMPLETED
            late, reason = False, ""
            if not future and not final:
                roll = rng.random()
                if roll < 0.07:
                    status, late, reason = (
                        Booking.Status.CANCELLED,
                        rng.random() < 0.3,
                        rng.choice(REASONS),
                    )
                elif roll < 0.11:
                    status = Booking.Status.NO_SHOW
            session = Session(
                trainer=trainer,
                service=service,
                start=start,
                end=end,
                blocked_start=start,
                blocked_end=end,
                capacity=1,
                active=status in (Booking.Status.CONFIRMED, Booking.Status.COMPLETED),
            )
            sessions.append(session)
            bookings.append(
                Booking(
                    trainer=trainer,
                    session=session,
                    client=person,
                    service=service,
                    start=start,
                    end=end,
                    status=status,
                    price=Decimal(service.price),
                    currency=service.currency,
                    late_cancellation=late,
                    cancellation_reason=reason,
                    cancelled_by="client" if status == Booking.Status.CANCELLED else "",
                    cancelled_at=start - timedelta(hours=2 if late else 48)
                    if reason or late
                    else None,
                )
            )
    Session.objects.bulk_create(sessions, batch_size=2000)
    for booking in bookings:
        booking.session_id = booking.session.pk
    Booking.objects.bulk_create(bookings, batch_size=2000)
    result.sessions = len(sessions)
    return result
