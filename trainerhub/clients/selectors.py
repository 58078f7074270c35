"""Reads of the CRM: access functions (404 for what is not yours), search, figures, timeline."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.db.models.expressions import OrderBy
from django.db.models.functions import Concat
from django.utils import timezone

from trainerhub.clients import visits
from trainerhub.clients.models import Client, ClientFile, ClientTag, IntakeField, Note, Tag
from trainerhub.clients.search import query_terms
from trainerhub.core.access import get_owned_or_404
from trainerhub.core.dates import day_label, day_time_label
from trainerhub.core.tenancy import TrainerRef, trainer_id_of
from trainerhub.scheduling.models import Booking

ORDERINGS = {
    "name": ("last_name", "first_name", "id"),
    "-name": ("-last_name", "-first_name", "-id"),
    "created": ("created_at", "id"),
    "-created": ("-created_at", "-id"),
    "last_visit": (F("last_visit").asc(nulls_last=True), "id"),
    "-last_visit": (F("last_visit").desc(nulls_last=True), "id"),
    "next_booking": (F("next_booking").asc(nulls_last=True), "id"),
    "-next_booking": (F("next_booking").desc(nulls_last=True), "id"),
}
ACTIVE = (Booking.Status.PENDING, Booking.Status.CONFIRMED)


def client_get_for_trainer(*, trainer: TrainerRef, pk: Any) -> Client:
    return get_owned_or_404(Client, trainer=trainer, pk=pk)


def note_get_for_trainer(*, trainer: TrainerRef, client: Client, pk: Any) -> Note:
    return get_owned_or_404(Note, trainer=trainer, client=client, pk=pk)


def file_get_for_trainer(*, trainer: TrainerRef, client: Client, pk: Any) -> ClientFile:
    return get_owned_or_404(ClientFile, trainer=trainer, client=client, pk=pk)


def tag_get_for_trainer(*, trainer: TrainerRef, pk: Any) -> Tag:
    return get_owned_or_404(Tag, trainer=trainer, pk=pk)


def intake_field_get_for_trainer(*, trainer: TrainerRef, pk: Any) -> IntakeField:
    return get_owned_or_404(IntakeField, trainer=trainer, pk=pk)


def booking_for_client(*, client: Client, pk: Any) -> Booking:
    return get_owned_or_404(Booking, trainer=client.trainer_id, client=client, pk=pk)


def tags_for_trainer(*, trainer: TrainerRef) -> QuerySet[Tag]:
    return Tag.objects.filter(trainer_id=trainer_id_of(trainer)).annotate(
        client_count=Count("client_tags")
    )


def tag_with_count(*, trainer: TrainerRef, pk: Any) -> Tag:
    """One tag with its client_count, as the API answers every tag (404 for another's)."""
    tag_get_for_trainer(trainer=trainer, pk=pk)
    return tags_for_trainer(trainer=trainer).get(pk=pk)


def intake_fields_for_trainer(
    *, trainer: TrainerRef, active_only: bool = False, booking_form_only: bool = False
) -> QuerySet[IntakeField]:
    qs = IntakeField.objects.filter(trainer_id=trainer_id_of(trainer))
    if active_only:
        qs = qs.filter(is_active=True)
    if booking_form_only:
        qs = qs.filter(on_booking_form=True, is_active=True)
    return qs


@dataclass
class _RiskFilter:
    """The list's risk filter, given by a higher app at ready() (insights): its levels as
    (value, label) and a function (trainer id, level) -> the ids of the clients in it."""

    levels: tuple[tuple[str, str], ...] = ()
    ids: Callable[[int, str], Iterable[int]] | None = None


_risk_filter = _RiskFilter()


def risk_filter_register(
    *, levels: Sequence[tuple[str, str]], ids: Callable[[int, str], Iterable[int]]
) -> None:
    _risk_filter.levels, _risk_filter.ids = tuple(levels), ids


def risk_levels() -> tuple[tuple[str, str], ...]:
    return _risk_filter.levels


def clients_search(
    *,
    trainer: TrainerRef,
    query: str = "",
    tag: Any = None,
    status: str | None = None,
    upcoming: bool | None = None,
    no_visit_days: int | None = None,
    ordering: str = "name",
    now: datetime | None = None,
    risk: str | None = None,
) -> QuerySet[Client]:
    """The trainer's clients matching every filter, with last_visit and next_booking.

    status: None hides archived clients, "all" shows every one, else that status.
    no_visit_days: no completed session in the last N days (never-seen clients included).
    risk: one of `risk_levels()` (registered by a higher app: insights' at-risk rule).
    The queryset costs one query plus one for the tags, whatever its length (and one UPDATE
    before it, of the clients whose next booking has started: see clients.visits).
    """
    now = now or timezone.now()
    trainer_id = trainer_id_of(trainer)
    qs = Client.objects.filter(trainer_id=trainer_id)
    terms = query_terms(query)
    for term in terms:
        qs = qs.filter(search_text__contains=term)
    if status in (None, ""):
        qs = qs.exclude(status=Client.Status.ARCHIVED)
    elif status != "all":
        qs = qs.filter(status=status)
    if tag not in (None, ""):
        tag_q = Q(tag_id=tag) if str(tag).isdigit() else Q(tag__name__iexact=str(tag))
        qs = qs.filter(Exists(ClientTag.objects.filter(tag_q, client=OuterRef("pk"))))
    if risk and _risk_filter.ids is not None:
        qs = qs.filter(pk__in=list(_risk_filter.ids(trainer_id, risk)))
    # The visit columns are exact once the next bookings that have started are recomputed.
    visits.refresh_passed(trainer_id=trainer_id, now=now)
    if upcoming is not None:
        qs = qs.filter(next_booking_at__isnull=not upcoming)
    if no_visit_days is not None:
        # A completed session has always started, so the last one is never after `now`.
        qs = qs.exclude(last_visit_at__gte=now - timedelta(days=no_visit_days))
    qs = qs.annotate(last_visit=F("last_visit_at"), next_booking=F("next_booking_at"))
    qs = qs.prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
    keys = ORDERINGS.get(ordering, ORDERINGS["name"])
    if keys[0] in ("last_name", "-last_name") and _trigram_search(terms):
        keys = (_unindexed(keys[0]), *keys[1:])
    return qs.order_by(*keys)


def _trigram_search(terms: Sequence[str]) -> bool:
    # pg_trgm serves a LIKE '%term%' of three characters or more.
    return connection.vendor == "postgresql" and any(len(t) >= 3 for t in terms)


def _unindexed(key: str) -> OrderBy:
    """The name ordering as an expression no index provides (the same order: `|| ''` keeps
    the column's collation). Matches of a name fragment cluster in the alphabet ('mart':
    Martin, Martínez), so walking the name index to find 25 of them read 44,785 rows (37 ms
    at 100,000 clients); with the key unindexed, PostgreSQL takes the trigram index's 4,505
    matches and sorts them (9 ms). Only with a term the trigram index can serve: a shorter
    one would sort the whole list instead."""
    expression = Concat(F(key.lstrip("-")), Value(""), output_field=CharField())
    return expression.desc() if key.startswith("-") else expression.asc()


@dataclass
class ClientStats:
    completed: int = 0
    cancelled: int = 0
    late_cancelled: int = 0
    no_shows: int = 0
    attendance_rate: float | None = None
    first_visit: datetime | None = None
    last_visit: datetime | None = None
    next_booking: datetime | None = None
    upcoming: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("extra")
        return data


def client_stats_bulk(
    *, trainer: TrainerRef, client_ids: list[int], now: datetime | None = None
) -> dict[int, ClientStats]:
    """Figures for many clients in one query.

    attendance rate = completed / (completed + no-shows + late cancellations): of the
    sessions a client was due to attend, the share they came to.
    """
    now = now or timezone.now()
    rows = (
        Booking.objects.filter(trainer_id=trainer_id_of(trainer), client_id__in=client_ids)
        .values("client_id")
        .annotate(
            completed=Count("id", filter=Q(status=Booking.Status.COMPLETED)),
            cancelled=Count("id", filter=Q(status=Booking.Status.CANCELLED)),
            late_cancelled=Count(
                "id", filter=Q(status=Booking.Status.CANCELLED, late_cancellation=True)
            ),
            no_shows=Count("id", filter=Q(status=Booking.Status.NO_SHOW)),
            upcoming=Count("id", filter=Q(status__in=ACTIVE, start__gt=now)),
            first_visit=Min("start", filter=Q(status=Booking.Status.COMPLETED)),
            last_visit=Max("start", filter=Q(status=Booking.Status.COMPLETED)),
            next_booking=Min("start", filter=Q(status__in=ACTIVE, start__gt=now)),
        )
        .order_by()
    )
    stats = {pk: ClientStats() for pk in client_ids}
    for row in rows:
        values: dict[str, Any] = dict(row)
        pk = values.pop("client_id")
        figures = ClientStats(**values)
        due = figures.completed + figures.no_shows + figures.late_cancelled
        figures.attendance_rate = round(figures.completed / due, 3) if due else None
        stats[pk] = figures
    return stats


def client_stats(*, client: Client, now: datetime | None = None) -> ClientStats:
    return client_stats_bulk(trainer=client.trainer_id, client_ids=[client.pk], now=now)[client.pk]


def client_bookings(
    *, client: Client, upcoming: bool | None = None, now: datetime | None = None
) -> QuerySet[Booking]:
    now = now or timezone.now()
    qs = Booking.objects.filter(trainer_id=client.trainer_id, client=client).select_related(
        "service"
    )
    if upcoming is True:
        return qs.filter(start__gt=now, status__in=ACTIVE).order_by("start", "id")
    if upcoming is False:
        return qs.exclude(start__gt=now, status__in=ACTIVE).order_by("-start", "-id")
    return qs.order_by("-start", "-id")


def bookings_of_clients(*, trainer: TrainerRef, clients: QuerySet[Client]) -> QuerySet[Booking]:
    """The trainer's bookings of these clients (an export's second sheet), by start."""
    return Booking.objects.filter(
        trainer_id=trainer_id_of(trainer), client__in=clients.values("pk")
    ).order_by("start", "id")


def clients_for_trainer(*, trainer: TrainerRef, bookable_only: bool = False) -> QuerySet[Client]:
    """Every client of the trainer, or only those a session may be booked for."""
    qs = Client.objects.filter(trainer_id=trainer_id_of(trainer))
    return qs.exclude(status=Client.Status.ARCHIVED) if bookable_only else qs


def client_is_bookable(client: Client) -> bool:
    """Archived people (the erased ones included) get no new sessions until restored."""
    return client.status != Client.Status.ARCHIVED and client.erased_at is None


def trainer_has_clients(*, trainer: TrainerRef) -> bool:
    """Any client at all, archived ones included (an empty list says "add your first")."""
    return Client.objects.filter(trainer_id=trainer_id_of(trainer)).exists()


def client_notes(*, client: Client) -> QuerySet[Note]:
    return (
        Note.objects.filter(trainer_id=client.trainer_id, client=client)
        .select_related("booking__service")
        .prefetch_related("revisions")
    )


def client_files(*, client: Client) -> QuerySet[ClientFile]:
    return ClientFile.objects.filter(trainer_id=client.trainer_id, client=client)


@dataclass
class TimelineEntry:
    at: datetime
    kind: str  # note | booking | file | message
    title: str
    detail: str = ""
    obj: Any = None


# Apps above the CRM add their entries to a client's timeline without the CRM importing them
# (notifications adds the messages sent to the client, from its AppConfig.ready). A source
# gets the client and a limit and returns at most that many entries.
TimelineSource = Callable[[Client, int], list[TimelineEntry]]
TIMELINE_SOURCES: list[TimelineSource] = []


def timeline_source_add(source: TimelineSource) -> None:
    if source not in TIMELINE_SOURCES:
        TIMELINE_SOURCES.append(source)


def _booking_entries(booking: Booking) -> list[TimelineEntry]:
    label = f"{booking.service.name} on {day_time_label(booking.start)}"
    entries = []
    for event in booking.events.all():
        detail = ""
        data = event.data or {}
        reason = data.get("reason") or data.get("message") or ""
        if event.kind == "cancelled":
            late = " (late)" if data.get("late") or booking.late_cancellation else ""
            detail = f"Cancelled by {event.actor}{late}" + (f": {reason}" if reason else "")
        elif reason:
            detail = str(reason)
        entries.append(
            TimelineEntry(
                event.at, "booking", f"{event.get_kind_display()}: {label}", detail, booking
            )
        )
    if not entries:
        detail = booking.get_status_display()
        if booking.cancellation_reason:
            detail += f": {booking.cancellation_reason}"
        entries.append(
            TimelineEntry(booking.created_at, "booking", f"Booked: {label}", detail, booking)
        )
    return entries


def client_timeline(*, client: Client, limit: int = 200) -> list[TimelineEntry]:
    """Notes, bookings with their history, files and the registered sources' entries (the
    messages sent), newest first (three queries + events, and one per source)."""
    entries: list[TimelineEntry] = []
    for note in client_notes(client=client)[:limit]:
        about = f" (session {day_label(note.booking.start)})" if note.booking else ""
        entries.append(TimelineEntry(note.created_at, "note", f"Note{about}", note.body, note))
    bookings = client_bookings(client=client).prefetch_related("events")[:limit]
    for booking in bookings:
        entries.extend(_booking_entries(booking))
    for item in client_files(client=client)[:limit]:
        entries.append(TimelineEntry(item.created_at, "file", f"File added: {item.name}", "", item))
    for source in TIMELINE_SOURCES:
        entries.extend(source(client, limit))
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:limit]
