"""Demo-like data for the browser screenshots and the page timings: one trainer with a few
services, weekly hours, 60 clients and about 300 bookings over nine weeks, made through the
same services as the product (past bookings are made by travelling back in time)."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from typing import Any

import time_machine
from django.utils import timezone as dj_timezone

from trainerhub.accounts.models import User
from trainerhub.clients.services import client_create
from trainerhub.core.errors import DomainError
from trainerhub.core.timezones import zone
from trainerhub.scheduling import services

PASSWORD = "demo-password-123"
FIRST = ["Ann", "Ben", "Cleo", "Dan", "Eva", "Finn", "Gia", "Hugo", "Iris", "Jon", "Kim", "Leo"]
LAST = ["Smith", "Jones", "Brown", "Taylor", "Wilson", "Evans", "Clark", "Hall", "Lewis", "Young"]


def build(email: str = "demo@example.com", tz: str = "Europe/London", seed: int = 7) -> User:
    rnd = random.Random(seed)
    trainer = User.objects.create_user(
        email,
        PASSWORD,
        name="Dana Demo",
        business_name="Dana Fitness",
        timezone=tz,
        currency="GBP",
        slug="dana",
        # A practice in use: its address verified, so its booking page is public.
        email_verified_at=dj_timezone.now(),
    )
    pt = services.service_create(
        trainer=trainer,
        name="Personal training",
        duration_minutes=60,
        price="55.00",
        currency="GBP",
        color="#3b5bdb",
        min_notice_minutes=0,
        buffer_after_minutes=15,
    )
    intro = services.service_create(
        trainer=trainer,
        name="Intro consultation",
        duration_minutes=30,
        price="0",
        currency="GBP",
        color="#2b8a3e",
        requires_confirmation=True,
        min_notice_minutes=0,
    )
    hiit = services.service_create(
        trainer=trainer,
        name="Group HIIT",
        duration_minutes=45,
        price="15.00",
        currency="GBP",
        color="#e8590c",
        capacity=8,
        min_notice_minutes=0,
    )
    online = services.service_create(
        trainer=trainer,
        name="Online coaching",
        duration_minutes=45,
        price="40.00",
        currency="GBP",
        color="#ae3ec9",
        is_online=True,
        meeting_kind="jitsi",
        min_notice_minutes=0,
    )
    for weekday in range(5):
        services.weekly_interval_create(
            trainer=trainer, weekday=weekday, start=time(7), end=time(12)
        )
        services.weekly_interval_create(
            trainer=trainer, weekday=weekday, start=time(16), end=time(20)
        )
    services.weekly_interval_create(trainer=trainer, weekday=5, start=time(9), end=time(13))
    clients = [
        client_create(
            trainer=trainer,
            first_name=FIRST[i % len(FIRST)],
            last_name=LAST[i % len(LAST)],
            email=f"client{i}@example.com",
        )
        for i in range(60)
    ]
    _bookings(trainer, rnd, clients, [pt, pt, pt, intro, hiit, online])
    return trainer


def _bookings(trainer: Any, rnd: random.Random, clients: list, catalogue: list) -> None:
    tz = zone(trainer.timezone)
    today = datetime.now(tz).date()
    made = []
    for offset in range(-42, 21):
        day = today + timedelta(days=offset)
        if day.weekday() == 6:
            continue
        hours = [7, 8, 9, 10, 16, 17, 18] if day.weekday() < 5 else [9, 10, 11]
        for hour in rnd.sample(hours, k=min(len(hours), rnd.randint(3, 5))):
            start = datetime.combine(day, time(hour), tz)
            service = rnd.choice(catalogue)
            source = "client" if service.requires_confirmation else "trainer"
            with time_machine.travel(start - timedelta(days=2), tick=False):
                try:
                    booking = services.booking_create(
                        trainer=trainer,
                        client=rnd.choice(clients),
                        service=service,
                        start=start,
                        source=source,
                    )
                except DomainError:
                    continue
            made.append(booking)
    now = datetime.now(tz)
    for booking in made:
        roll = rnd.random()
        try:
            if booking.start < now and booking.status == "confirmed":
                if roll < 0.8:
                    services.booking_complete(booking=booking, actor="trainer")
                elif roll < 0.9:
                    services.booking_mark_no_show(booking=booking, actor="trainer")
            elif booking.status == "pending" and booking.start < now:
                services.booking_decline(booking=booking, actor="trainer")
            elif roll < 0.08 and booking.start > now:
                services.booking_cancel(
                    booking=booking, actor="trainer", reason="Client travelling", late=roll < 0.03
                )
        except DomainError:
            continue
