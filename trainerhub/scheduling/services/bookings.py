"""Bookings: create under the double-booking guard, move through their statuses, reschedule.

The slot rules live in the pure engine (`slots.check_candidate`); these functions load its
inputs inside the transaction, after taking the trainer's write guard, so the answer they act
on cannot change before the insert. PostgreSQL's exclusion constraint on active sessions is
the last word: if it ever fires, the request gets the same `slot_taken` conflict.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from trainerhub.accounts.models import User
from trainerhub.core.errors import Conflict, InvalidInput, NotAllowed
from trainerhub.core.events import emit
from trainerhub.core.timezones import zone
from trainerhub.plans import services as plans
from trainerhub.plans.models import BOOKINGS_PER_MONTH
from trainerhub.scheduling import pricing, slots
from trainerhub.scheduling.client_reads import client_reads
from trainerhub.scheduling.models import (
    Booking,
    BookingEvent,
    BookingSeries,
    DiscountCode,
    Service,
    Session,
)
from trainerhub.scheduling.purchase import NOTHING, Purchase
from trainerhub.scheduling.selectors import SEAT_STATUSES, load_slot_inputs, service_rules
from trainerhub.scheduling.services import holds
from trainerhub.scheduling.services._common import lock_trainer_day, lock_trainer_schedule
from trainerhub.scheduling.services.cancellation import cancellation_reason_clean

if TYPE_CHECKING:
    from trainerhub.clients.models import Client

Status = Booking.Status
ACTORS = ("trainer", "client", "api", "system")


def _record(booking: Booking, kind: str, actor: str, actor_user: Any, **data: Any) -> None:
    BookingEvent.objects.create(
        trainer_id=booking.trainer_id,
        booking=booking,
        kind=kind,
        actor=actor,
        actor_user=actor_user if getattr(actor_user, "pk", None) else None,
        data=data,
    )


def _check_actor(actor: str) -> None:
    if actor not in ACTORS:
        raise InvalidInput({"actor": [f"Unknown actor {actor!r}."]})


def _check_parties(trainer: User, client: Client, service: Service, *, source: str = "") -> None:
    if client.trainer_id != trainer.pk:
        raise InvalidInput({"client": ["Unknown client."]})
    # A visitor whose address matches an archived client books like anyone else (refusing
    # would tell them who is a client); the record stays archived for the trainer to decide.
    by_visitor = source == Booking.Source.CLIENT and client.erased_at is None
    if not by_visitor and not client_reads().client_is_bookable(client):
        raise InvalidInput({"client": ["This client is archived; restore them to book."]})
    if service.trainer_id != trainer.pk:
        raise InvalidInput({"service": ["Unknown service."]})
    if not service.is_active:
        raise InvalidInput({"service": ["This service is no longer offered."]})


def _check_start(start: Any) -> None:
    if not isinstance(start, datetime):
        raise InvalidInput({"start": ["Give the start as an ISO 8601 date and time."]})
    if start.tzinfo is None or start.utcoffset() is None:
        raise InvalidInput({"start": ["Include a UTC offset in the start (e.g. +01:00 or Z)."]})


def _take_place(
    *,
    trainer: User,
    service: Service,
    start: datetime,
    override_rules: bool,
    by_trainer: bool,
    exclude_session_ids: tuple[int, ...] = (),
    extra_minutes: int = 0,
) -> tuple[Session, bool]:
    """The session this booking will sit in: an existing group session with a free seat, or
    a new one (then True: nobody has a place in it yet). Caller holds the trainer's write
    guard and is inside a transaction.

    by_trainer: the trainer books or moves by hand (pages or their API), so any start inside
    the hours will do (the start-time grid is what clients are offered; slots.py rule 5)."""
    slot = _check_place(
        trainer=trainer,
        service=service,
        start=start,
        override_rules=override_rules,
        by_trainer=by_trainer,
        exclude_session_ids=exclude_session_ids,
        extra_minutes=extra_minutes,
    )
    if slot.session_id is not None:
        return _join_session(slot.session_id), False
    return _open_session(trainer=trainer, service=service, start=slot.start, end=slot.end), True


def _check_place(
    *,
    trainer: User,
    service: Service,
    start: datetime,
    override_rules: bool,
    by_trainer: bool,
    exclude_session_ids: tuple[int, ...] = (),
    extra_minutes: int = 0,
) -> slots.Slot:
    """The slot engine's verdict on `start`, a Conflict naming the rule when it refuses.

    extra_minutes: what the booking's add-ons add to the service's duration (its gap)."""
    local_day = start.astimezone(zone(trainer.timezone)).date()
    availability, busy = load_slot_inputs(
        trainer=trainer,
        first_day=local_day - timedelta(days=1),
        last_day=local_day + timedelta(days=1),
        exclude_session_ids=exclude_session_ids,
    )
    try:
        slot = slots.check_candidate(
            service_rules(service, extra_minutes=extra_minutes),
            availability,
            busy,
            now=timezone.now(),
            start=start,
            override_rules=override_rules,
            any_start=by_trainer,
        )
    except slots.SlotRefused as refusal:
        raise Conflict(refusal.detail, code=refusal.code) from None
    return slot


ALREADY_BOOKED = "already_booked"
ALREADY_BOOKED_DETAIL = "This client already has a place in this session."
# The same refusal in the words of the client booking or moving on the portal.
ALREADY_BOOKED_YOU = "You already have a place in this session."


def _already_booked(by_client: bool) -> Conflict:
    detail = ALREADY_BOOKED_YOU if by_client else ALREADY_BOOKED_DETAIL
    return Conflict(detail, code=ALREADY_BOOKED)


def _check_one_seat(
    session: Session, client: Client, *, by_client: bool, exclude_pk: int | None = None
) -> None:
    """One active booking per client per session (the database's constraint says so too)."""
    taken = Booking.objects.filter(
        session=session, client=client, status__in=Booking.ACTIVE_STATUSES
    )
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise _already_booked(by_client)


def _insert_booking(*, by_client: bool, **fields: Any) -> Booking:
    # No savepoint of its own (two round trips on every booking): the refusal leaves
    # booking_create, whose atomic block rolls the failed insert back with the rest.
    try:
        return Booking.objects.create(**fields)
    except IntegrityError:
        # The unique constraint: a concurrent request seated this client first.
        raise _already_booked(by_client) from None


def _join_session(session_id: int) -> Session:
    # The row lock makes seat counting exact even without the trainer's guard.
    session = Session.objects.select_for_update().get(pk=session_id)
    taken = session.bookings.filter(status__in=SEAT_STATUSES).count()
    if not session.active or taken >= session.capacity:
        raise Conflict("This group session is full.", code=slots.RefusalCode.SESSION_FULL)
    return session


def _open_session(*, trainer: User, service: Service, start: datetime, end: datetime) -> Session:
    session = Session(
        trainer=trainer,
        service=service,
        start=start,
        end=end,
        blocked_start=start - timedelta(minutes=service.buffer_before_minutes),
        blocked_end=end + timedelta(minutes=service.buffer_after_minutes),
        capacity=service.capacity,
        active=True,
    )
    # No savepoint of its own: every caller (booking_create, session_move) is an atomic
    # block that the refusal leaves, which rolls the failed insert back.
    try:
        session.save()
    except IntegrityError:
        # PostgreSQL's exclusion constraint: another writer got there first.
        raise Conflict("That time is already booked.", code=slots.RefusalCode.SLOT_TAKEN) from None
    return session


def _refresh_session(session: Session) -> None:
    """A session blocks time while one of its bookings holds a seat.

    The row lock first: a concurrent join (which holds it while adding a seat) commits before
    this count, so a cancel can never mark a session free that just gained an attendee."""
    Session.objects.select_for_update().filter(pk=session.pk).first()
    active = session.bookings.filter(status__in=SEAT_STATUSES).exists()
    if active != session.active:
        session.active = active
        session.save(update_fields=["active"])


def _price(
    trainer: User, client: Client, service: Service, purchase: Purchase
) -> tuple[pricing.Quote, DiscountCode | None]:
    """The booking's price snapshot and its code (still to be consumed), or the refusal:
    400 for an add-on that is not the service's or a refused "pay at session", 409
    `discount_invalid` / `discount_used_up`. Caller holds the trainer's write guard (so the
    per-client count of a code cannot race)."""
    if purchase.pay_at_session and not service.allow_pay_at_session:
        raise InvalidInput(
            {"pay_at_session": ["This service is paid beforehand, not at the session."]}
        )
    addons = pricing.addons_for(service=service, ids=purchase.addons)
    today = timezone.now().astimezone(zone(trainer.timezone)).date()
    discount = pricing.discount_for(
        trainer=trainer,
        service=service,
        code=purchase.discount_code,
        today=today,
        client_id=client.pk,
    )
    return pricing.quote(service, addons, discount), discount


def _lock_for_booking(trainer: User, start: datetime, purchase: Purchase) -> None:
    """The write guard of one new booking: its local day (bookings of other days go on at
    once), or the whole schedule when a discount code is used (its per-client use count
    spans every day)."""
    if purchase.discount_code:
        lock_trainer_schedule(trainer)
    else:
        lock_trainer_day(trainer, start.astimezone(zone(trainer.timezone)).date())


@transaction.atomic
def booking_create(
    *,
    trainer: User,
    client: Client,
    service: Service,
    start: datetime,
    notes: str = "",
    source: str = Booking.Source.TRAINER,
    actor_user: Any = None,
    override_rules: bool = False,
    series: BookingSeries | None = None,
    purchase: Purchase = NOTHING,
) -> Booking:
    _check_parties(trainer, client, service, source=source)
    _check_start(start)
    if source not in Booking.Source.values:
        raise InvalidInput({"source": [f"Unknown source {source!r}."]})
    if override_rules and source == Booking.Source.CLIENT:
        raise InvalidInput({"override_rules": ["Only the trainer may override the rules."]})
    if len(notes or "") > 4000:
        raise InvalidInput({"notes": ["Ensure this field has no more than 4000 characters."]})
    _lock_for_booking(trainer, start, purchase)
    plans.limit_check(trainer, BOOKINGS_PER_MONTH, by_client=source == Booking.Source.CLIENT)
    price, discount = _price(trainer, client, service, purchase)
    session, opened = _take_place(
        trainer=trainer,
        service=service,
        start=start,
        override_rules=override_rules,
        by_trainer=source != Booking.Source.CLIENT,
        extra_minutes=price.extra_minutes,
    )
    by_client = source == Booking.Source.CLIENT
    if not opened:  # a session opened just now holds nobody yet
        _check_one_seat(session, client, by_client=by_client)
    if discount is not None:
        pricing.discount_consume(discount)
    pending = service.requires_confirmation and source == Booking.Source.CLIENT
    if holds.pays_online(price, purchase):
        status = Status.PENDING_PAYMENT
    else:
        status = Status.PENDING if pending else Status.CONFIRMED
    booking = _insert_booking(
        by_client=by_client,
        trainer=trainer,
        session=session,
        client=client,
        service=service,
        series=series,
        start=session.start,
        end=session.end,
        status=status,
        notes=notes or "",
        location=service.location,
        **pricing.snapshot_fields(price),
        discount=discount,
        pay_at_session=purchase.pay_at_session,
        created_by=source,
        manage_token=secrets.token_urlsafe(32),
    )
    _record(booking, BookingEvent.Kind.CREATED, source, actor_user, start=booking.start.isoformat())
    emit("booking.created", booking=booking, actor=source, purchase=purchase)
    return booking


# --- Status moves: the one table that says which move is allowed from where ----------------

_MOVES: dict[str, tuple[tuple[str, ...], str, str]] = {
    # verb: (allowed from, to, wording)
    "confirm": ((Status.PENDING,), Status.CONFIRMED, "confirmed"),
    "decline": ((Status.PENDING,), Status.DECLINED, "declined"),
    "cancel": ((Status.PENDING, Status.CONFIRMED), Status.CANCELLED, "cancelled"),
    "complete": ((Status.CONFIRMED,), Status.COMPLETED, "marked completed"),
    "no_show": ((Status.CONFIRMED,), Status.NO_SHOW, "marked a no-show"),
}


def _refuse_if_started(locked: Booking, wording: str) -> None:
    """A session that has started is history: it is completed or a no-show, never cancelled or
    moved (for the client the portal says so earlier; this holds for every actor and surface)."""
    if locked.start <= timezone.now():
        raise NotAllowed(
            f"This session has already started; it cannot be {wording}. "
            "Mark it completed or a no-show instead.",
            code="already_started",
        )


def _move(booking: Booking, verb: str, actor: str) -> tuple[Booking, str]:
    """Lock the booking's row and check the move; answer the locked row and the old status."""
    _check_actor(actor)
    allowed, _to, wording = _MOVES[verb]
    locked = Booking.objects.select_for_update().select_related("session").get(pk=booking.pk)
    if locked.status not in allowed:
        raise NotAllowed(
            f"This booking is {locked.get_status_display().lower()}; it cannot be {wording}.",
            code="invalid_transition",
        )
    if verb in ("complete", "no_show") and locked.start > timezone.now():
        raise NotAllowed(
            f"This booking is {locked.get_status_display().lower()} and has not started yet; "
            f"it cannot be {wording} before its start.",
            code="invalid_transition",
        )
    return locked, locked.status


def _apply(booking: Booking, locked: Booking, verb: str, fields: list[str]) -> None:
    locked.status = _MOVES[verb][1]
    locked.sequence += 1
    locked.save(update_fields=[*fields, "status", "sequence", "updated_at"])
    _refresh_session(locked.session)
    # The caller's instance reflects the new state too.
    booking.refresh_from_db()


@transaction.atomic
def booking_confirm(*, booking: Booking, actor: str, actor_user: Any = None) -> Booking:
    locked, _ = _move(booking, "confirm", actor)
    _apply(booking, locked, "confirm", [])
    _record(locked, BookingEvent.Kind.CONFIRMED, actor, actor_user)
    emit("booking.confirmed", booking=locked, actor=actor)
    return locked


@transaction.atomic
def booking_decline(
    *, booking: Booking, actor: str, actor_user: Any = None, message: str = ""
) -> Booking:
    if len(message or "") > 1000:
        raise InvalidInput({"message": ["Ensure this field has no more than 1000 characters."]})
    locked, _ = _move(booking, "decline", actor)
    _apply(booking, locked, "decline", [])
    _record(locked, BookingEvent.Kind.DECLINED, actor, actor_user, message=message or "")
    emit("booking.declined", booking=locked, actor=actor, message=message or "")
    return locked


@transaction.atomic
def booking_cancel(
    *,
    booking: Booking,
    actor: str,
    actor_user: Any = None,
    reason: str = "",
    late: bool = False,
    in_summary: bool = False,
) -> Booking:
    """in_summary: the client hears of this cancellation in one message for several
    (a series' "cancel this and following"), not in a message of its own."""
    reason = cancellation_reason_clean(reason, actor=actor)
    locked, _ = _move(booking, "cancel", actor)
    _refuse_if_started(locked, "cancelled")
    locked.cancellation_reason = reason
    locked.cancelled_by = actor if actor in Booking.Source.values else ""
    locked.cancelled_at = timezone.now()
    locked.late_cancellation = bool(late)
    fields = ["cancellation_reason", "cancelled_by", "cancelled_at", "late_cancellation"]
    _apply(booking, locked, "cancel", fields)
    _record(locked, BookingEvent.Kind.CANCELLED, actor, actor_user, reason=reason, late=late)
    emit(
        "booking.cancelled",
        booking=locked,
        actor=actor,
        reason=reason,
        late=bool(late),
        in_summary=in_summary,
    )
    return locked


@transaction.atomic
def booking_complete(*, booking: Booking, actor: str, actor_user: Any = None) -> Booking:
    locked, _ = _move(booking, "complete", actor)
    _apply(booking, locked, "complete", [])
    _record(locked, BookingEvent.Kind.COMPLETED, actor, actor_user)
    emit("booking.completed", booking=locked, actor=actor)
    return locked


@transaction.atomic
def booking_mark_no_show(*, booking: Booking, actor: str, actor_user: Any = None) -> Booking:
    locked, _ = _move(booking, "no_show", actor)
    _apply(booking, locked, "no_show", [])
    _record(locked, BookingEvent.Kind.NO_SHOW, actor, actor_user)
    emit("booking.no_show", booking=locked, actor=actor)
    return locked


@transaction.atomic
def booking_reschedule(
    *,
    booking: Booking,
    start: datetime,
    actor: str,
    actor_user: Any = None,
    override_rules: bool = False,
) -> Booking:
    """Move the booking to `start` under the same rules, in one step: if the new time is
    refused, the transaction rolls back and the booking keeps its old time."""
    _check_actor(actor)
    _check_start(start)
    if override_rules and actor == "client":
        raise InvalidInput({"override_rules": ["Only the trainer may override the rules."]})
    lock_trainer_schedule(booking.trainer_id)
    locked = (
        Booking.objects.select_for_update()
        .select_related("session", "service", "trainer")
        .get(pk=booking.pk)
    )
    if not locked.is_active:
        raise NotAllowed(
            f"This booking is {locked.get_status_display().lower()}; it cannot be rescheduled.",
            code="invalid_transition",
        )
    _refuse_if_started(locked, "rescheduled")
    old_session = locked.session
    others = old_session.bookings.filter(status__in=SEAT_STATUSES).exclude(pk=locked.pk)
    alone = not others.exists()
    if alone:
        # Free the old time first (inside this transaction) so the new time may overlap it;
        # a refusal below rolls this back too.
        old_session.active = False
        old_session.save(update_fields=["active"])
    session, opened = _take_place(
        trainer=locked.trainer,
        service=locked.service,
        start=start,
        override_rules=override_rules,
        by_trainer=actor != Booking.Source.CLIENT,
        exclude_session_ids=(old_session.pk,) if alone else (),
        extra_minutes=locked.extra_minutes,
    )
    if not opened and session.pk != old_session.pk:
        _check_one_seat(session, locked.client, by_client=actor == "client", exclude_pk=locked.pk)
    _seat_in(locked, session, actor, actor_user)
    booking.refresh_from_db()
    return locked


def _seat_in(locked: Booking, session: Session, actor: str, actor_user: Any) -> None:
    """Put a locked booking in `session`, record it and tell everyone it moved."""
    old_start, old_end = locked.start, locked.end
    locked.session, locked.start, locked.end = session, session.start, session.end
    locked.sequence += 1
    locked.save(update_fields=["session", "start", "end", "sequence", "updated_at"])
    _record(
        locked,
        BookingEvent.Kind.RESCHEDULED,
        actor,
        actor_user,
        **{"from": old_start.isoformat(), "to": locked.start.isoformat()},
    )
    emit("booking.rescheduled", booking=locked, actor=actor, old_start=old_start, old_end=old_end)


@transaction.atomic
def session_move(
    *,
    session: Session,
    start: datetime,
    actor: str,
    actor_user: Any = None,
    override_rules: bool = False,
    only: Booking | None = None,
) -> list[Booking]:
    """Move a session to `start`: every attendee's booking in one step (each client told once,
    through the usual reschedule message), or with `only` that one attendee alone, who then
    opens or joins a session at the new time (booking_reschedule). The one rule for the
    calendar's drag, the session panel and the API; answers the moved bookings.

    Moving a whole group onto another session of the same service at that time merges the
    two when the places suffice. A refusal rolls everything back: nobody moves."""
    _check_actor(actor)
    if actor == Booking.Source.CLIENT:
        raise NotAllowed("Only the trainer moves a whole session.", code="not_allowed")
    _check_start(start)
    if only is not None:
        if only.session_id != session.pk or only.trainer_id != session.trainer_id:
            raise InvalidInput({"booking": ["This booking is not in this session."]})
        moved = booking_reschedule(
            booking=only,
            start=start,
            actor=actor,
            actor_user=actor_user,
            override_rules=override_rules,
        )
        return [moved]
    lock_trainer_schedule(session.trainer_id)
    locked = (
        Session.objects.select_for_update()
        .select_related("service", "trainer")
        .get(pk=session.pk, trainer_id=session.trainer_id)
    )
    attendees = list(
        Booking.objects.select_for_update()
        .filter(session=locked, status__in=Booking.ACTIVE_STATUSES)
        .select_related("client")
        .order_by("id")
    )
    if not attendees:
        raise NotAllowed(
            "Nobody is booked in this session any more; there is nothing to move.",
            code="invalid_transition",
        )
    if locked.start <= timezone.now():
        raise NotAllowed(
            "This session has already started; it cannot be moved. "
            "Mark it completed or a no-show instead.",
            code="already_started",
        )
    # Free the old time first, so the new one may overlap it; a refusal rolls this back.
    locked.active = False
    locked.save(update_fields=["active"])
    slot = _check_place(
        trainer=locked.trainer,
        service=locked.service,
        start=start,
        override_rules=override_rules,
        by_trainer=True,
        exclude_session_ids=(locked.pk,),
        # A 1:1 session lengthened by add-ons keeps its length (group add-ons add none).
        extra_minutes=max(b.extra_minutes for b in attendees),
    )
    if slot.session_id is None:
        target = _open_session(
            trainer=locked.trainer, service=locked.service, start=slot.start, end=slot.end
        )
        if target.capacity != locked.capacity:
            # A class keeps its size when it moves.
            target.capacity = max(locked.capacity, len(attendees))
            target.save(update_fields=["capacity"])
    else:
        target = _merge_into(slot.session_id, attendees)
    for booking in attendees:
        _seat_in(booking, target, actor, actor_user)
    return attendees


def _merge_into(session_id: int, attendees: list[Booking]) -> Session:
    """The session of the same service already at the new time, when every attendee fits in
    it and none of them has a place in it yet."""
    target = Session.objects.select_for_update().get(pk=session_id)
    taken = target.bookings.filter(status__in=SEAT_STATUSES)
    free = target.capacity - taken.count()
    if free < len(attendees):
        raise Conflict(
            f"Another session of this service is at that time with {max(free, 0)} "
            f"free place{'' if free == 1 else 's'}; {len(attendees)} are needed. "
            "Move attendees one by one instead.",
            code=slots.RefusalCode.SESSION_FULL,
        )
    if taken.filter(client_id__in=[b.client_id for b in attendees]).exists():
        raise Conflict(
            "An attendee already has a place in the session at that time.", code=ALREADY_BOOKED
        )
    return target


@transaction.atomic
def booking_update(
    *,
    booking: Booking,
    actor: str,
    actor_user: Any = None,
    notes: str | None = None,
    location: str | None = None,
) -> Booking:
    _check_actor(actor)
    locked = Booking.objects.select_for_update().get(pk=booking.pk)
    changes: dict[str, list[str]] = {}
    for name, value, limit in (("notes", notes, 4000), ("location", location, 255)):
        if value is None:
            continue
        if len(value) > limit:
            raise InvalidInput({name: [f"Ensure this field has no more than {limit} characters."]})
        if getattr(locked, name) != value:
            changes[name] = [getattr(locked, name), value]
            setattr(locked, name, value)
    if changes:
        locked.sequence += 1
        locked.save(update_fields=[*changes, "sequence", "updated_at"])
        _record(locked, BookingEvent.Kind.EDITED, actor, actor_user, changes=changes)
        emit("booking.edited", booking=locked, actor=actor, changes=changes)
    booking.refresh_from_db()
    return locked
