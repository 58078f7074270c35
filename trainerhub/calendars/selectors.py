"""Reads of the trainer's own calendars; every one names the trainer."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet

from trainerhub.calendars.models import (
    BUSY_ID_OFFSET,
    CalendarPush,
    CalendarSubscription,
    Connection,
    Provider,
    RemoteCalendar,
    SyncedEvent,
)
from trainerhub.core.access import get_owned_or_404
from trainerhub.core.tenancy import TrainerRef, trainer_id_of
from trainerhub.core.timezones import zone
from trainerhub.scheduling.models import Service

# How far ahead busy ranges are kept when the trainer has no service yet.
DEFAULT_HORIZON_DAYS = 60


def subscriptions_for_trainer(*, trainer: TrainerRef) -> QuerySet[CalendarSubscription]:
    return CalendarSubscription.objects.filter(trainer_id=trainer_id_of(trainer))


def subscription_get_for_trainer(*, trainer: TrainerRef, pk: object) -> CalendarSubscription:
    """The trainer's calendar with this id, else 404 (another trainer's too)."""
    return get_owned_or_404(CalendarSubscription, trainer=trainer, pk=pk)


def failing_subscriptions(*, trainer: TrainerRef) -> list[CalendarSubscription]:
    """Active calendars whose last fetch failed (the dashboard's warning card)."""
    return list(
        subscriptions_for_trainer(trainer=trainer).filter(is_active=True).exclude(last_error="")
    )


def horizon_days(*, trainer: TrainerRef) -> int:
    """The largest booking horizon of the trainer's services: nothing further is bookable."""
    found = Service.objects.filter(trainer_id=trainer_id_of(trainer)).aggregate(
        days=Max("max_advance_days")
    )["days"]
    return int(found) if found else DEFAULT_HORIZON_DAYS


def busy_window(*, trainer: TrainerRef, tz_name: str, now: datetime) -> tuple[datetime, datetime]:
    """What a calendar read keeps: from the start of the trainer's today (in their zone) to
    the end of the furthest bookable day."""
    tz = zone(tz_name)
    today = now.astimezone(tz).date()
    days = horizon_days(trainer=trainer)
    start = datetime.combine(today, time(0), tzinfo=tz)
    return start, datetime.combine(today + timedelta(days=days + 1), time(0), tzinfo=tz)


def due_subscriptions(*, now: datetime) -> QuerySet[CalendarSubscription]:
    """Active calendars of every trainer not tried for CALENDAR_FETCH_MINUTES (the worker)."""
    since = now - timedelta(minutes=settings.CALENDAR_FETCH_MINUTES)
    return (
        CalendarSubscription.objects.filter(is_active=True)
        .filter(Q(last_attempt_at__isnull=True) | Q(last_attempt_at__lte=since))
        .order_by("last_attempt_at", "id")
    )


# --- Connected Google / Microsoft accounts ---------------------------------------------------


def connections_for_trainer(*, trainer: TrainerRef) -> QuerySet[Connection]:
    return Connection.objects.filter(trainer_id=trainer_id_of(trainer)).prefetch_related(
        "calendars"
    )


def connection_get_for_trainer(*, trainer: TrainerRef, pk: object) -> Connection:
    """The trainer's connection with this id, else 404 (another trainer's too)."""
    return get_owned_or_404(Connection, trainer=trainer, pk=pk)


def connection_of(*, trainer: TrainerRef, provider: str) -> Connection | None:
    return Connection.objects.filter(trainer_id=trainer_id_of(trainer), provider=provider).first()


def synced_calendars(*, connection: Connection) -> QuerySet[RemoteCalendar]:
    """What a sync reads: the busy calendars, and the one bookings are written to (to notice
    our events moved or deleted there)."""
    return connection.calendars.filter(
        Q(busy=True) | Q(remote_id=connection.write_calendar, can_write=True)
    ).order_by("id")


def synced_events_in(*, calendar: RemoteCalendar) -> QuerySet[SyncedEvent]:
    return SyncedEvent.objects.filter(
        connection_id=calendar.connection_id, calendar_remote_id=calendar.remote_id
    )


def calendar_changes(*, trainer: TrainerRef) -> list[SyncedEvent]:
    """Our events the trainer moved or deleted in Google / Outlook, not dismissed yet."""
    return list(
        SyncedEvent.objects.filter(trainer_id=trainer_id_of(trainer), change_dismissed=False)
        .exclude(change="")
        .select_related("connection")
        .order_by("start")
    )


def synced_event_get_for_trainer(*, trainer: TrainerRef, pk: object) -> SyncedEvent:
    return get_owned_or_404(SyncedEvent, trainer=trainer, pk=pk)


def sync_warnings(*, trainer: TrainerRef) -> tuple[list[Connection], int]:
    """The dashboard's warning card in one query: the connections to reconnect or whose last
    read failed, and how many of our events were moved or deleted over there (not dismissed)."""
    rows = list(
        Connection.objects.filter(trainer_id=trainer_id_of(trainer)).annotate(
            changed=Count(
                "events", filter=~Q(events__change="") & Q(events__change_dismissed=False)
            )
        )
    )
    attention: list[Connection] = [
        c for c in rows if c.status == Connection.Status.RECONNECT or c.last_error
    ]
    return attention, sum(c.changed for c in rows)


def failed_pushes(*, connection: Connection, limit: int = 5) -> list[CalendarPush]:
    """The latest writes that gave up (shown under the connection, with their log)."""
    return list(connection.pushes.filter(status=CalendarPush.Status.FAILED).order_by("-id")[:limit])


def busy_calendar_names(trainer_id: int, calendar_ids: Iterable[int]) -> dict[int, str]:
    """The names of the calendars behind ExternalBusy.calendar_id values (the slot explainer
    says which calendar is busy): an ICS or CalDAV subscription's own name, a connected
    calendar's name with its provider. Two queries at most."""
    ids = set(calendar_ids)
    local = [i for i in ids if i < BUSY_ID_OFFSET]
    remote = [i - BUSY_ID_OFFSET for i in ids if i >= BUSY_ID_OFFSET]
    names: dict[int, str] = {}
    if local:
        names.update(
            CalendarSubscription.objects.filter(trainer_id=trainer_id, pk__in=local).values_list(
                "pk", "name"
            )
        )
    if remote:
        for pk, name, provider in RemoteCalendar.objects.filter(
            trainer_id=trainer_id, pk__in=remote
        ).values_list("pk", "name", "connection__provider"):
            names[BUSY_ID_OFFSET + pk] = f"{name} ({Provider(provider).label})"
    return names
