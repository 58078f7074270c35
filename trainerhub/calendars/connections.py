"""Writes of connected Google / Microsoft accounts: connect (the OAuth callback's code),
choose the calendars, disconnect (revoke and delete the tokens), dismiss a reported change."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from trainerhub.calendars import oauth
from trainerhub.calendars.models import Connection, RemoteCalendar, SyncedEvent
from trainerhub.calendars.providers import calendars_and_account
from trainerhub.calendars.remote import CalendarInfo, RemoteError
from trainerhub.calendars.sync import busy_id, calendar_forget
from trainerhub.core.errors import InvalidInput
from trainerhub.core.tenancy import TrainerRef, trainer_id_of
from trainerhub.scheduling import slot_cache
from trainerhub.scheduling.models import ExternalBusy


class ConnectFailed(Exception):
    """The account could not be connected; the message is for the trainer."""


def connection_connect(
    *,
    trainer: TrainerRef,
    provider: str,
    code: str,
    verifier: str,
    redirect_uri: str,
    now: datetime | None = None,
) -> Connection:
    """Trade the callback's code (with the PKCE verifier) for tokens, store them encrypted and
    list the account's calendars. A first connection blocks the primary calendar's busy times
    and writes bookings into it; a reconnection keeps the trainer's choices."""
    now = now or timezone.now()
    try:
        tokens = oauth.exchange_code(
            provider, code=code, verifier=verifier, redirect_uri=redirect_uri, now=now
        )
    except (oauth.TokenRefused, oauth.ProviderUnavailable) as exc:
        raise ConnectFailed(f"The sign-in was not accepted ({exc}); try again.") from None
    connection, created = Connection.objects.update_or_create(
        trainer_id=trainer_id_of(trainer),
        provider=provider,
        defaults={
            "access_token": tokens.access_token,
            "refresh_token": tokens.refresh_token,
            "expires_at": tokens.expires_at,
            "status": Connection.Status.ACTIVE,
            "last_error": "",
        },
    )
    try:
        calendars, account = calendars_and_account(connection, now=now)
    except RemoteError as exc:
        connection.last_error = str(exc)[:300]
        connection.save(update_fields=["last_error"])
        raise ConnectFailed(f"Connected, but the calendars could not be listed: {exc}") from None
    with transaction.atomic():
        _merge_calendars(connection, calendars, first=created)
        connection.account = account[:320]
        connection.save(update_fields=["account", "write_calendar"])
    return connection


def connection_choose(
    *, connection: Connection, busy: Iterable[object], write: object
) -> Connection:
    """Which calendars block bookings (RemoteCalendar ids) and which one bookings are written
    to (an id, or empty for none). A calendar no longer read drops what was read of it."""
    calendars = {str(c.pk): c for c in connection.calendars.all()}
    chosen = {str(pk) for pk in busy}
    if chosen - set(calendars):
        raise InvalidInput({"busy": ["Choose among this account's calendars."]})
    target = calendars.get(str(write)) if write not in (None, "") else None
    if write not in (None, "") and (target is None or not target.can_write):
        raise InvalidInput({"write_calendar": ["Choose a calendar you may write to."]})
    with transaction.atomic():
        for pk, calendar in calendars.items():
            if calendar.busy != (pk in chosen):
                calendar.busy = pk in chosen
                calendar.save(update_fields=["busy"])
        connection.write_calendar = target.remote_id if target else ""
        connection.save(update_fields=["write_calendar"])
        for calendar in calendars.values():
            if not calendar.busy and calendar.remote_id != connection.write_calendar:
                calendar_forget(calendar)
            elif not calendar.busy:
                ExternalBusy.objects.filter(
                    trainer_id=calendar.trainer_id, calendar_id=busy_id(calendar)
                ).delete()
                slot_cache.bump(calendar.trainer_id)
        # Read the chosen ones from scratch on the next sync (their ranges are rebuilt then).
        connection.calendars.filter(busy=True).update(sync_token="")
    return connection


def connection_disconnect(*, connection: Connection) -> bool:
    """Revoke the grant (Google), then delete the tokens, the calendars read and their busy
    times. True when the provider confirmed the revocation."""
    revoked = oauth.revoke(
        connection.provider, token=connection.refresh_token or connection.access_token
    )
    with transaction.atomic():
        ids = [busy_id(c) for c in connection.calendars.all()]
        ExternalBusy.objects.filter(trainer_id=connection.trainer_id, calendar_id__in=ids).delete()
        connection.delete()
        slot_cache.bump(connection.trainer_id)
    return revoked


def change_dismiss(*, event: SyncedEvent) -> None:
    event.change_dismissed = True
    event.save(update_fields=["change_dismissed"])


def _merge_calendars(connection: Connection, found: list[CalendarInfo], *, first: bool) -> None:
    known = {c.remote_id: c for c in connection.calendars.all()}
    for info in found:
        row = known.get(info.remote_id)
        if row is None:
            row = RemoteCalendar(
                trainer_id=connection.trainer_id,
                connection=connection,
                remote_id=info.remote_id,
                busy=first and info.primary,
            )
        row.name = info.name[:200]
        row.can_write = info.can_write
        row.save()
        if first and info.primary and info.can_write:
            connection.write_calendar = info.remote_id
    gone = set(known) - {i.remote_id for i in found}
    for remote_id in gone:
        calendar_forget(known[remote_id])
        known[remote_id].delete()
    if connection.write_calendar in gone:
        connection.write_calendar = ""
