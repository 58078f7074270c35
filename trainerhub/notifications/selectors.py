"""Reads of the notifications domain."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from trainerhub.clients.models import Client
from trainerhub.clients.selectors import TimelineEntry
from trainerhub.core.access import get_owned_or_404, row_or_404
from trainerhub.core.tenancy import TrainerRef, trainer_id_of
from trainerhub.notifications.models import (
    CalendarFeed,
    ClientInAppNotification,
    InAppNotification,
    Notification,
)
from trainerhub.scheduling.models import Booking

CANCELLED_KEPT = timedelta(days=30)


def unread_count(*, trainer: TrainerRef) -> int:
    return in_app_for_trainer(trainer=trainer).filter(read_at__isnull=True).count()


def in_app_for_trainer(*, trainer: TrainerRef) -> QuerySet[InAppNotification]:
    return InAppNotification.objects.filter(trainer_id=trainer_id_of(trainer))


def in_app_get_for_trainer(*, trainer: TrainerRef, pk: int) -> InAppNotification:
    return get_owned_or_404(InAppNotification, trainer=trainer, pk=pk)


def client_in_app_for_account(*, account: Any) -> QuerySet[ClientInAppNotification]:
    """A client account's in-app lines, from every trainer it has a record with."""
    return ClientInAppNotification.objects.filter(client__account=account).select_related("trainer")


def client_unread_count(*, account: Any) -> int:
    return ClientInAppNotification.objects.filter(
        client__account=account, read_at__isnull=True
    ).count()


def client_in_app_get(*, account: Any, pk: Any) -> ClientInAppNotification:
    """One of the account's own lines, else 404 (another client's is no different from none)."""
    return row_or_404(client_in_app_for_account(account=account), pk)


def _is_client(user: Any) -> bool:
    return getattr(user, "role", "") == "client"


def in_app_for_user(*, user: Any, unread: bool | None = None) -> QuerySet[Any]:
    """The caller's own centre: a trainer's lines, or a client account's (every surface,
    the pages and the API, reads through here); `unread` keeps only unread (True) or only
    read (False) lines."""
    rows: QuerySet[Any]
    if getattr(user, "is_trainer", False):
        rows = in_app_for_trainer(trainer=user)
    elif _is_client(user):
        rows = client_in_app_for_account(account=user)
    else:
        return InAppNotification.objects.none()
    if unread is not None:
        rows = rows.filter(read_at__isnull=unread)
    return rows


def in_app_get_for_user(*, user: Any, pk: Any) -> Any:
    """One of the caller's own lines, else 404."""
    return row_or_404(in_app_for_user(user=user), pk)


def unread_for_user(*, user: Any) -> int:
    return in_app_for_user(user=user).filter(read_at__isnull=True).count()


def unsubscribe_client(client_id: int | None) -> Client:
    """The client a signed unsubscribe link names (the link is its own proof: no trainer is
    signed in), else 404."""
    if client_id is None:
        raise Http404("This link is not valid.")
    client = Client.objects.filter(pk=client_id).select_related("trainer").first()
    if client is None:
        raise Http404("This link is not valid.")
    return client


def log_for_trainer(*, trainer: TrainerRef, client: Client | None = None) -> QuerySet[Notification]:
    qs = Notification.objects.filter(trainer_id=trainer_id_of(trainer))
    if client is not None:
        qs = qs.filter(client=client)
    return (
        qs.select_related("client", "booking", "booking__service")
        .prefetch_related("attempt_rows")
        .order_by("-created_at", "-id")
    )


def feed_get(token: str) -> CalendarFeed:
    feed = (
        CalendarFeed.objects.filter(token=token, revoked_at__isnull=True)
        .select_related("trainer", "client")
        .first()
    )
    if feed is None or not feed.trainer.is_active:
        raise Http404("No such calendar.")
    return feed


def feed_bookings(*, feed: CalendarFeed) -> QuerySet[Booking]:
    """Active and past sessions, plus cancellations of the last 30 days (STATUS:CANCELLED)."""
    since = timezone.now() - CANCELLED_KEPT
    shown = Q(
        status__in=[Booking.Status.PENDING, Booking.Status.CONFIRMED, Booking.Status.COMPLETED]
    )
    shown |= Q(
        status__in=[Booking.Status.CANCELLED, Booking.Status.DECLINED], updated_at__gte=since
    )
    qs = Booking.objects.filter(shown, trainer=feed.trainer)
    if feed.client_id:
        qs = qs.filter(client_id=feed.client_id)
    return qs.select_related("trainer", "client", "service").order_by("start", "id")


def client_message_entries(client: Client, limit: int) -> list[TimelineEntry]:
    """The client timeline's messages that went (or tried to go) to the client: emails, SMS,
    Telegram (a timeline source, registered in NotificationsConfig.ready)."""
    outcomes = (Notification.Status.SENT, Notification.Status.FAILED, Notification.Status.UNKNOWN)
    messages = Notification.objects.filter(
        client=client, recipient=Notification.Recipient.CLIENT, status__in=outcomes
    ).order_by("-updated_at")[:limit]
    entries = []
    for message in messages:
        title = f"{message.get_channel_display()}: {message.subject or message.get_kind_display()}"
        detail = message.get_status_display()
        if message.status == Notification.Status.FAILED and message.last_error:
            detail += f" ({message.last_error})"
        entries.append(
            TimelineEntry(message.sent_at or message.updated_at, "message", title, detail, message)
        )
    return entries
