"""Writes of the trainer's own calendars: add, change, remove, and refresh (fetch, expand,
replace the busy ranges in one transaction). Two kinds of source: an ICS address (a GET) and
a CalDAV calendar (a calendar-query REPORT); both expand through `parsing.busy_ranges`."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from trainerhub.calendars import selectors
from trainerhub.calendars.fetching import FetchError, fetch, masked, normalise_url
from trainerhub.calendars.models import CalendarSubscription
from trainerhub.calendars.parsing import BusyRange, NotICalendar, busy_ranges
from trainerhub.core.errors import InvalidInput
from trainerhub.core.tenancy import TrainerRef, trainer_id_of
from trainerhub.scheduling.models import ExternalBusy

logger = logging.getLogger("trainerhub.calendars")

_EDITABLE = ("name", "kind", "url", "username", "password", "color", "is_active")
Kind = CalendarSubscription.Kind


@dataclass
class RefreshStats:
    tried: int = 0
    failed: int = 0


def subscription_create(
    *,
    trainer: TrainerRef,
    name: str,
    url: str,
    kind: str = Kind.ICS,
    username: str = "",
    password: str = "",
    color: str = "",
    is_active: bool = True,
) -> CalendarSubscription:
    """An ICS address, or a CalDAV calendar with its user name and app password."""
    row = CalendarSubscription(
        trainer_id=trainer_id_of(trainer),
        name=name,
        kind=kind,
        url=_clean_url(url),
        username=username.strip(),
        password=password,
        color=color,
        is_active=is_active,
    )
    _check_credentials(row)
    _full_clean(row)
    row.save()
    return row


def subscription_update(
    *, subscription: CalendarSubscription, **changes: Any
) -> CalendarSubscription:
    """Change name, url, colour, the active flag, or a CalDAV calendar's user name and app
    password; a new url or user name, or a switch off, drops the ranges read so far, so the
    calendar is read again from scratch. The kind stays what it was created as."""
    unknown = set(changes) - set(_EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    if changes.get("kind", subscription.kind) != subscription.kind:
        raise InvalidInput(
            {"kind": ["The kind of a calendar cannot change: add the other kind as a new one."]}
        )
    if "url" in changes:
        changes["url"] = _clean_url(changes["url"])
    if "username" in changes:
        changes["username"] = changes["username"].strip()
    restart = any(
        changes.get(name, getattr(subscription, name)) != getattr(subscription, name)
        for name in ("url", "username", "is_active")
    )
    for name, value in changes.items():
        setattr(subscription, name, value)
    _check_credentials(subscription)
    _full_clean(subscription)
    with transaction.atomic():
        if restart:
            _forget(subscription)
        subscription.save()
    return subscription


@transaction.atomic
def subscription_delete(*, subscription: CalendarSubscription) -> None:
    _busy_rows(subscription).delete()
    subscription.delete()


def subscription_refresh(
    *, subscription: CalendarSubscription, now: datetime | None = None
) -> bool:
    """Fetch and expand one calendar now. On failure the error is recorded and the ranges
    of the last good fetch are kept; True when the calendar was read."""
    now = now or timezone.now()
    subscription.last_attempt_at = now
    try:
        _read(subscription, now)
    except (FetchError, NotICalendar) as exc:
        _record_failure(subscription, str(exc))
        return False
    except Exception:
        # One odd calendar must not stop the worker or the other calendars; the trace goes
        # to the log (it holds no URL), the trainer sees a plain message.
        logger.exception("calendar read crashed", extra={"calendar_id": subscription.pk})
        _record_failure(subscription, "The calendar could not be read (unexpected data).")
        return False
    return True


def refresh_due(*, now: datetime | None = None) -> RefreshStats:
    """Every active calendar not read for CALENDAR_FETCH_MINUTES (worker tick, Celery beat).

    A calendar is claimed with a conditional UPDATE of its last attempt, so two workers
    never fetch the same one in the same round."""
    now = now or timezone.now()
    stats = RefreshStats()
    for row in selectors.due_subscriptions(now=now):
        claimed = CalendarSubscription.objects.filter(
            pk=row.pk, last_attempt_at=row.last_attempt_at
        ).update(last_attempt_at=now)
        if not claimed:
            continue
        stats.tried += 1
        if not subscription_refresh(subscription=row, now=now):
            stats.failed += 1
    return stats


def _read(subscription: CalendarSubscription, now: datetime) -> None:
    window_start, window_end = _window(subscription, now)
    body: bytes | None
    if subscription.kind == Kind.CALDAV:
        # Only the worker reads CalDAV: the library (11 MB with requests and lxml) stays out
        # of the web processes.
        from trainerhub.calendars.caldav_reading import fetch_events

        read = fetch_events(
            subscription.url,
            username=subscription.username,
            password=subscription.password,
            window_start=window_start,
            window_end=window_end,
            known_version="" if _stale(subscription, window_end) else subscription.etag,
        )
        subscription.etag, body = read.version, read.body
    else:
        body = _ics_body(subscription, window_end)
    if body is None:
        _record_success(subscription, now, fields=[])
        return
    ranges = busy_ranges(
        body,
        tz_name=subscription.trainer.timezone,
        window_start=window_start,
        window_end=window_end,
    )
    _store(subscription, now, ranges, window_end)


def _ics_body(subscription: CalendarSubscription, window_end: datetime) -> bytes | None:
    """The calendar's text, or None when it is unchanged since the last read (a 304)."""
    stale = _stale(subscription, window_end)
    result = fetch(
        subscription.url,
        etag="" if stale else subscription.etag,
        last_modified="" if stale else subscription.last_modified,
    )
    if result.not_modified:
        return None
    subscription.etag = result.etag
    subscription.last_modified = result.last_modified
    return result.body


def _stale(subscription: CalendarSubscription, window_end: datetime) -> bool:
    """Once the horizon has moved on a day, a calendar is read in full again (whatever its
    ETag or sync token says) to expand further."""
    return subscription.expanded_until is None or subscription.expanded_until < (
        window_end - timedelta(days=1)
    )


def _store(
    subscription: CalendarSubscription,
    now: datetime,
    ranges: list[BusyRange],
    window_end: datetime,
) -> None:
    """Replace the calendar's busy ranges with those just read, in one transaction."""
    with transaction.atomic():
        _busy_rows(subscription).delete()
        ExternalBusy.objects.bulk_create(
            ExternalBusy(
                trainer_id=subscription.trainer_id,
                calendar_id=subscription.pk,
                start=r.start,
                end=r.end,
            )
            for r in ranges
        )
        subscription.busy_count = len(ranges)
        subscription.expanded_until = window_end
        _record_success(
            subscription, now, fields=["etag", "last_modified", "busy_count", "expanded_until"]
        )


def _window(subscription: CalendarSubscription, now: datetime) -> tuple[datetime, datetime]:
    return selectors.busy_window(
        trainer=subscription.trainer_id, tz_name=subscription.trainer.timezone, now=now
    )


def _record_success(
    subscription: CalendarSubscription, now: datetime, *, fields: list[str]
) -> None:
    subscription.last_success_at = now
    subscription.last_error = ""
    subscription.save(update_fields=[*fields, "last_attempt_at", "last_success_at", "last_error"])


def _record_failure(subscription: CalendarSubscription, error: str) -> None:
    subscription.last_error = error[:300]
    subscription.save(update_fields=["last_attempt_at", "last_error"])
    # The URL's secret part never reaches a log: the masked form is enough to find it.
    logger.warning(
        "calendar fetch failed",
        extra={
            "calendar_id": subscription.pk,
            "trainer_id": subscription.trainer_id,
            "url": masked(subscription.url),
            "error": subscription.last_error,
        },
    )


def _forget(subscription: CalendarSubscription) -> None:
    _busy_rows(subscription).delete()
    subscription.etag = subscription.last_modified = subscription.last_error = ""
    subscription.busy_count = 0
    subscription.expanded_until = subscription.last_attempt_at = subscription.last_success_at = None


def _busy_rows(subscription: CalendarSubscription) -> Any:
    return ExternalBusy.objects.filter(
        trainer_id=subscription.trainer_id, calendar_id=subscription.pk
    )


def _clean_url(url: str) -> str:
    try:
        return normalise_url(url or "")
    except FetchError as exc:
        raise InvalidInput({"url": [str(exc)]}) from None


def _check_credentials(row: CalendarSubscription) -> None:
    """A CalDAV calendar needs its account's user name and app password; an ICS address
    carries its secret in itself and has neither."""
    errors: dict[str, list[str]] = {}
    if row.kind == Kind.CALDAV:
        if not row.username:
            errors["username"] = ["Enter the user name of your calendar account."]
        if not row.password:
            errors["password"] = ["Enter an app password of your calendar account."]
        if urlsplit(row.url).username is not None:
            errors["url"] = ["Leave the user name and password out of the address."]
    else:
        if row.username:
            errors["username"] = ["Only a CalDAV calendar has a user name."]
        if row.password:
            errors["password"] = ["Only a CalDAV calendar has a password."]
    if errors:
        raise InvalidInput(errors)


def _full_clean(row: CalendarSubscription) -> None:
    try:
        row.full_clean(exclude=["trainer"])
    except ValidationError as exc:
        raise InvalidInput({k: [str(m) for m in v] for k, v in exc.message_dict.items()}) from None
