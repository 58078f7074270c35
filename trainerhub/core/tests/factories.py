"""The one set of test factories every app uses: each row is made by the product's own
services, so a test can never stand on a state the product would refuse (a session without
its buffers, two private sessions at once, a completed booking that has not started).

A booking in the past is made the way it happened: the clock is moved (time-machine) to
before its start, the trainer books it, and, for a completed or no-show one, to after its
start, where the trainer marks it.
"""

from __future__ import annotations

import io
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
    addon: Any = None  # an add-on of the service
    discount: Any = None  # a discount code
    exercise: Any = None  # one of the trainer's own exercises
    program: Any = None  # a program template (with a day)
    client_program: Any = None  # that program, assigned to the client
    workout: Any = None  # a workout the client logged
    measurement: Any = None  # a body measurement of the client
    photo: Any = None  # a progress photo of the client
    contract_template: Any = None
    contract: Any = None  # a contract from that template, for the client
    invoice: Any = None  # a draft invoice to the client
    payment: Any = None  # a payment the client made for the booking
    client_import: Any = None  # a finished CSV import of clients
    webhook: Any = None  # a webhook endpoint of the trainer
    delivery: Any = None  # a (test event) delivery to it
    connection: Any = None  # a connected Google account
    synced_event: Any = None  # the booking written into it, then moved over there

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
            "addons": self.addon,
            "discounts": self.discount,
            "exercises": self.exercise,
            "programs": self.program,
            "days": self.program.days.first(),
            "client-programs": self.client_program,
            "workouts": self.workout,
            "measurements": self.measurement,
            "photos": self.photo,
            "contract-templates": self.contract_template,
            "templates": self.contract_template,
            "contracts": self.contract,
            "invoices": self.invoice,
            "payments": self.payment,
            "import": self.client_import,
            "webhooks": self.webhook,
            "endpoints": self.webhook,
            "deliveries": self.delivery,
            "accounts": self.connection,
            "changes": self.synced_event,
        }
        parts = route.strip("/").split("/")
        return [keys[parts[i - 1]].pk for i, part in enumerate(parts) if part == "{id}"]


def _png() -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 80, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile("front.png", buffer.getvalue(), content_type="image/png")


def _coaching_rows(client: Client) -> dict[str, Any]:
    """An exercise, a program with a day, that program assigned to the client, a workout
    logged against it, a measurement and a progress photo."""
    from trainerhub.coaching import services as coaching

    trainer = client.trainer
    exercise = coaching.exercise_create(
        trainer=trainer, name="World lift", category="strength", primary_muscles=["chest"]
    )
    item = {
        "exercise": exercise.pk,
        "sets": 3,
        "reps_min": 5,
        "load_kind": "weight",
        "load_value": "100",
    }
    program = coaching.program_create(
        trainer=trainer, name="World plan", weeks=4, days=[{"name": "Day A", "exercises": [item]}]
    )
    plan = coaching.program_assign(
        program=program,
        client=client,
        start_date=timezone.localdate(),
        weekdays=[0, 2, 4],
        trainer=trainer,
    )
    first = plan.days.first().items.first()
    workout, _ = coaching.workout_log(
        client=client,
        program=plan.pk,
        sets=[{"item": first.pk, "set_number": 1, "reps": 5, "weight": "100"}],
    )
    return {
        "exercise": exercise,
        "program": program,
        "client_program": plan,
        "workout": workout,
        "measurement": coaching.measurement_add(client=client, kind="weight", value="70"),
        "photo": coaching.photo_add(client=client, upload=_png(), pose="front"),
    }


def _paperwork_rows(client: Client, booking: Booking) -> dict[str, Any]:
    """A contract template and a contract, an invoice and a payment, a client import."""
    from trainerhub.billing import services as billing
    from trainerhub.clients import importing
    from trainerhub.contracts import services as contracts
    from trainerhub.contracts.evidence import Actor

    trainer = client.trainer
    template = contracts.template_create(
        trainer=trainer, name="World waiver", body="<p>I train at my own risk.</p>"
    )
    actor = Actor(ip_address="10.0.0.1", user_agent="pytest", identified_by="the trainer")
    # A header-only file: the import is queued and done, and adds no second client (the
    # tenancy tests count the world's clients).
    preview = importing.import_preview(trainer=trainer, data=b"first_name,last_name,email\n")
    return {
        "contract_template": template,
        "contract": contracts.contract_create(
            trainer=trainer, template=template, client=client, actor=actor
        ),
        "invoice": billing.invoice_create(
            trainer=trainer,
            client=client,
            lines=[
                {"description": "Coaching", "quantity": "1", "unit_price": "100", "tax_rate": "0"}
            ],
            currency="GBP",
        ),
        "payment": billing.payment_record(
            trainer=trainer, client=client, booking=booking, amount="50.00", method="cash"
        ),
        "client_import": importing.import_commit(trainer=trainer, token=preview.token),
    }


def _webhook_rows(trainer: Any) -> dict[str, Any]:
    from trainerhub.webhooks import services as webhook_services

    # An address literal: public without asking DNS, and never called here.
    endpoint = webhook_services.endpoint_create(
        trainer=trainer, url="https://93.184.215.14/hook", events=["booking.created"]
    )
    return {"webhook": endpoint, "delivery": webhook_services.test_event_write(endpoint=endpoint)}


def _calendar_sync_rows(trainer: Any, booking: Booking) -> dict[str, Any]:
    """A Google account and a booking written into it that was moved there. Made as the
    OAuth round trip and the sync leave them: those services need the provider's server
    (calendars/tests run them against a local one), which a world of rows does not."""
    from trainerhub.calendars.models import Connection, Provider, SyncedEvent

    now = timezone.now()
    connection = Connection.objects.create(
        trainer=trainer,
        provider=Provider.GOOGLE,
        account=f"world{trainer.pk}@example.com",
        access_token="world-access",
        refresh_token="world-refresh",
        expires_at=now + timedelta(hours=1),
        write_calendar="primary",
    )
    synced = SyncedEvent.objects.create(
        trainer=trainer,
        connection=connection,
        booking_id=booking.pk,
        calendar_remote_id="primary",
        remote_id=f"world-{booking.pk}",
        start=booking.start,
        end=booking.end,
        change=SyncedEvent.Change.MOVED,
        remote_start=booking.start + timedelta(hours=1),
        remote_end=booking.end + timedelta(hours=1),
        change_seen_at=now,
    )
    return {"connection": connection, "synced_event": synced}


def world_of(trainer: Any) -> World:
    """Needs MEDIA_ROOT somewhere temporary (the file and the photo are stored)."""
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
        addon=services.addon_create(
            service=service, name="Sauna", price=Decimal("10.00"), extra_minutes=0
        ),
        discount=services.discount_create(trainer=trainer, code="WORLD", percent_off=10),
        **_coaching_rows(client),
        **_paperwork_rows(client, booking),
        **_webhook_rows(trainer),
        **_calendar_sync_rows(trainer, booking),
    )
