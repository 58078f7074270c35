"""Clients, tags and minimal bookings for the CRM's tests (rows created directly, not through
the scheduling services, so these tests do not depend on them)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import factory

from trainerhub.clients.models import Client, Tag
from trainerhub.clients.search import build_search_text
from trainerhub.scheduling.models import Booking, BookingEvent, Service, Session


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    first_name = factory.Sequence(lambda n: f"Client{n}")
    last_name = "Tester"
    email = factory.Sequence(lambda n: f"client{n}@example.com")
    phone = ""

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Client:
        client = model_class(*args, **kwargs)
        client.search_text = build_search_text(client)
        client.save()
        return client


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"tag{n}")


def make_service(trainer: Any, **kwargs: Any) -> Service:
    defaults = {"name": "Personal training", "duration_minutes": 60, "price": 50}
    return Service.objects.create(trainer=trainer, **{**defaults, **kwargs})


def make_booking(
    client: Client,
    start: datetime,
    *,
    status: str = Booking.Status.CONFIRMED,
    service: Service | None = None,
    late: bool = False,
    reason: str = "",
    events: bool = False,
) -> Booking:
    trainer = client.trainer
    service = service or Service.objects.filter(trainer=trainer).first() or make_service(trainer)
    end = start + timedelta(minutes=service.duration_minutes)
    session = Session.objects.create(
        trainer=trainer,
        service=service,
        start=start,
        end=end,
        blocked_start=start,
        blocked_end=end,
        active=status
        in (Booking.Status.PENDING, Booking.Status.CONFIRMED, Booking.Status.COMPLETED),
    )
    booking = Booking.objects.create(
        trainer=trainer,
        session=session,
        client=client,
        service=service,
        start=start,
        end=end,
        status=status,
        late_cancellation=late,
        cancellation_reason=reason,
        price=service.price,
    )
    if events:
        BookingEvent.objects.create(
            trainer=trainer, booking=booking, kind="created", actor="trainer"
        )
        if status == Booking.Status.CANCELLED:
            BookingEvent.objects.create(
                trainer=trainer,
                booking=booking,
                kind="cancelled",
                actor="client",
                data={"reason": reason, "late": late},
            )
    return booking
