"""The one set of test factories every app uses: each row is made by the product's own
services, so a test can never stand on a state the product would refuse (a session without
its buffers, two private sessions at once, a completed booking that has not started).

A booking in the past is made the way it happened: the clock is moved (time-machine) to
before its start, the trainer books it, and, for a completed or no-show one, to after its
start, where the trainer marks it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from trainerhub.accounts.tests.factories import PASSWORD, TrainerFactory
from trainerhub.clients import notes as client_notes
from trainerhub.clients import services as client_services
from trainerhub.clients.models import Client, ClientFile, IntakeField, Note, Tag
from trainerhub.core.timezones import zone
from trainerhub.scheduling import services
from trainerhub.scheduling.models import (
    Booking,
    DateOverride,
    Service,
    TimeOff,
    WeeklyInterval,
)

__all__ = [
    "PASSWORD",
    "TrainerFactory",
    "World",
    "local_at",
    "make_booking",
    "make_client",
    "make_service",
    "open_every_day",
    "world_of",
]

Status = Booking.Status
SERVICE_DEFAULTS: dict[str, Any] = {
    "name": "Personal training",
    "duration_minutes": 60,
    "price": "50.00",
    "currency": "GBP",
    "min_notice_minutes": 0,
    "max_advance_days": 365,
}


def make_client(trainer: Any, first_name: str = "Chris", **fields: Any) -> Client:
    return client_services.client_create(trainer=trainer, first_name=first_name, **fields)


def make_service(trainer: Any, **fields: Any) -> Service:
    return services.service_create(trainer=trainer, **{**SERVICE_DEFAULTS, **fields})


def open_every_day(trainer: Any, start: str = "07:00", end: str = "21:00") -> None:
    for weekday in range(7):
        services.weekly_interval_create(
            trainer=trainer,
            weekday=weekday,
            start=time.fromisoformat(start),
            end=time.fromisoformat(end),
        )


def local_at(trainer: Any, days_ahead: int, hhmm: str) -> datetime:
    """An aware datetime `days_ahead` local days from today at HH:MM in the trainer's zone."""
    tz = zone(trainer.timezone)
    today = datetime.now(tz).date()
    return datetime.combine(today + timedelta(days=days_ahead), time.fromisoformat(hhmm), tz)


def _default_service(trainer: Any) -> Service:
    service = Service.objects.filter(trainer=trainer, is_active=True).order_by("id").first()
    return service or make_service(trainer)


class _Clock:
    """Run a step at `moment` when that is not now (time-machine), else as it is."""

    def __init__(self, moment: datetime | None) -> None:
        self.moment = moment
        self.traveller: Any = None

    def __enter__(self) -> None:
        if self.moment is not None:
            self.traveller = time_machine.travel(self.moment, tick=False)
            self.traveller.start()

    def __exit__(self, *exc: object) -> None:
        if self.traveller is not None:
            self.traveller.stop()


def make_booking(
    client: Client,
    start: datetime,
    *,
    status: str = Status.CONFIRMED,
    service: Service | None = None,
    late: bool = False,
    reason: str = "",
    source: str = Booking.Source.TRAINER,
    notes: str = "",
) -> Booking:
    """A booking of `client` at `start` in `status`, made through the scheduling services.

    The trainer books by hand (override_rules: a booking outside the hours is fine, an
    overlap is not). `pending` and `declined` need a service that asks for confirmation
    (the client books it). A start in the past is booked an hour before it; `completed` and
    `no_show` need a start in the past.
    """
    trainer = client.trainer
    service = service or _default_service(trainer)
    now = timezone.now()
    if status in (Status.COMPLETED, Status.NO_SHOW) and start >= now:
        raise ValueError(f"A {status} booking must have started: give a start in the past.")
    asks = status in (Status.PENDING, Status.DECLINED)
    if asks and not service.requires_confirmation:
        raise ValueError(f"A {status} booking needs a service with requires_confirmation.")
    booked_at = start - timedelta(hours=1) if start <= now + timedelta(minutes=1) else None
    with _Clock(booked_at):
        booking = services.booking_create(
            trainer=trainer,
            client=client,
            service=service,
            start=start,
            notes=notes,
            source=Booking.Source.CLIENT if asks else source,
            override_rules=not asks,
        )
        if status == Status.CANCELLED:
            actor = "client" if reason and source == Booking.Source.CLIENT else "trainer"
            services.booking_cancel(booking=booking, actor=actor, reason=reason, late=late)
        elif status == Status.DECLINED:
            services.booking_decline(booking=booking, actor="trainer", message=reason)
    if status == Status.COMPLETED:
        services.booking_complete(booking=booking, actor="trainer")
    elif status == Status.NO_SHOW:
        services.booking_mark_no_show(booking=booking, actor="trainer")
    booking.refresh_from_db()
    return booking


@dataclass
class World:
    """One of every row a trainer owns, each made through its service: what another
    trainer's requests and services must never reach."""

    trainer: Any
    client: Client
    service: Service
    booking: Booking
    note: Note
    file: ClientFile
    tag: Tag
    intake_field: IntakeField
    interval: WeeklyInterval
    override: DateOverride
    time_off: TimeOff
    notification: Any
    answers: Any = None  # what a visitor typed when a public booking matched the client
    calendar: Any = None  # one of the trainer's own calendar subscriptions
    package: Any = None  # a package of the trainer's catalogue
    client_package: Any = None  # that package, sold to the client

    def ids_for(self, route: str) -> list[int]:
        """The ids, in order, that fill the `{id}` holes of a route of ours."""
        keys = {
            "bookings": self.booking,
            "sessions": self.booking.session,
            "services": self.service,
            "weekly": self.interval,
            "hours": self.interval,
            "overrides": self.override,
            "time-off": self.time_off,
            "clients": self.client,
            "client": self.client,
            "notes": self.note,
            "files": self.file,
            "tags": self.tag,
            "intake-fields": self.intake_field,
            "notifications": self.notification,
            "answers": self.answers,
            "calendars": self.calendar,
            "packages": self.package,
            "client-packages": self.client_package,
            "sold": self.client_package,
        }
        parts = route.strip("/").split("/")
        return [keys[parts[i - 1]].pk for i, part in enumerate(parts) if part == "{id}"]


def world_of(trainer: Any) -> World:
    """Needs MEDIA_ROOT somewhere temporary (the file is stored)."""
    from trainerhub.calendars.services import subscription_create
    from trainerhub.notifications import services as notification_services
    from trainerhub.packages.services import package_create, package_sell
    from trainerhub.portal.answers import booking_answers_record

    open_every_day(trainer)
    service = make_service(trainer)
    client = make_client(trainer, "Wendy", last_name="World", email=f"wendy@{trainer.pk}.test")
    start = local_at(trainer, 3, "10:00")
    booking = make_booking(client, start, service=service)
    upload = SimpleUploadedFile("plan.txt", b"Squats, then rest.", content_type="text/plain")
    package = package_create(trainer=trainer, name="Five", sessions_count=5, price=Decimal(100))
    return World(
        trainer=trainer,
        client=client,
        service=service,
        booking=booking,
        note=client_notes.note_create(client=client, body="Knee better", booking=booking),
        file=client_notes.client_file_upload(client=client, upload=upload),
        tag=client_services.tag_create(trainer=trainer, name="morning"),
        intake_field=client_services.intake_field_create(
            trainer=trainer, key="goal", label="Your goal"
        ),
        interval=WeeklyInterval.objects.filter(trainer=trainer).first(),
        override=services.date_override_create(
            trainer=trainer, date=start.date() + timedelta(days=30), closed=True
        ),
        time_off=services.time_off_create(
            trainer=trainer,
            start=start + timedelta(days=40),
            end=start + timedelta(days=40, hours=2),
            reason="Course",
        ),
        notification=notification_services.notify_trainer_in_app(trainer=trainer, title="Hello"),
        answers=booking_answers_record(
            booking=booking, first_name="Wendy", last_name="Else", phone="", custom_fields={}
        ),
        calendar=subscription_create(
            trainer=trainer, name="Private", url=f"https://calendar.example.com/{trainer.pk}.ics"
        ),
        package=package,
        client_package=package_sell(trainer=trainer, package=package, client=client),
    )
