"""Google Calendar API v3, as documented: the calendar list, events with incremental sync
(`syncToken`; 410 Gone means read everything again) and event insert / patch / delete.

Recurring events are read as their single instances (`singleEvents=true`). Our own events
carry the booking id in a private extended property, so a read never counts them as busy.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from urllib.parse import quote

from trainerhub.calendars import conf
from trainerhub.calendars.models import Connection
from trainerhub.calendars.remote import (
    CalendarInfo,
    Changes,
    EventBody,
    EventGone,
    Item,
    SyncExpired,
    call,
    failure,
    json_of,
)
from trainerhub.core.timezones import zone

NAME = "Google Calendar"
BOOKING_PROPERTY = "trainerhubBooking"
PAGE_SIZE = 250


def _api(path: str) -> str:
    return f"{conf.get('GOOGLE_API_BASE')}/calendar/v3{path}"


def _events(calendar_id: str) -> str:
    return _api(f"/calendars/{quote(calendar_id, safe='')}/events")


def list_calendars(connection: Connection, *, now: datetime) -> list[CalendarInfo]:
    found: list[CalendarInfo] = []
    params: dict[str, Any] = {"maxResults": PAGE_SIZE}
    while True:
        response = call(connection, "GET", _api("/users/me/calendarList"), now=now, params=params)
        if response.status_code != 200:
            raise failure(response, NAME)
        body = json_of(response)
        for entry in body.get("items", []):
            found.append(
                CalendarInfo(
                    remote_id=str(entry["id"]),
                    name=str(entry.get("summaryOverride") or entry.get("summary") or entry["id"]),
                    primary=bool(entry.get("primary")),
                    can_write=entry.get("accessRole") in ("owner", "writer"),
                )
            )
        if not body.get("nextPageToken"):
            return found
        params["pageToken"] = body["nextPageToken"]


def account_name(calendars: list[CalendarInfo]) -> str:
    """The primary calendar's id is the account's address."""
    return next((c.remote_id for c in calendars if c.primary), "")


def read(
    connection: Connection,
    calendar_id: str,
    *,
    token: str,
    window: tuple[datetime, datetime],
    tz_name: str,
    now: datetime,
) -> Changes:
    """Every page of changes since `token`; without one, every event from the window's start
    on (Google refuses an end with a sync token, so the whole future is read and kept)."""
    params: dict[str, Any] = {"singleEvents": "true", "maxResults": PAGE_SIZE}
    if token:
        params["syncToken"] = token
    else:
        params["timeMin"] = window[0].isoformat()
    items: list[Item] = []
    while True:
        response = call(connection, "GET", _events(calendar_id), now=now, params=params)
        if response.status_code == 410:
            raise SyncExpired("Google asked for a full read again.", status=410)
        if response.status_code != 200:
            raise failure(response, NAME)
        body = json_of(response)
        items += [_item(entry, tz_name) for entry in body.get("items", [])]
        if body.get("nextPageToken"):
            params["pageToken"] = body["nextPageToken"]
            continue
        return Changes(items=items, token=str(body.get("nextSyncToken") or ""))


def insert(connection: Connection, calendar_id: str, event: EventBody, *, now: datetime) -> str:
    response = call(connection, "POST", _events(calendar_id), now=now, json=_body(event))
    if response.status_code not in (200, 201):
        raise failure(response, NAME)
    return str(json_of(response)["id"])


def update(
    connection: Connection, calendar_id: str, event_id: str, event: EventBody, *, now: datetime
) -> None:
    url = f"{_events(calendar_id)}/{quote(event_id, safe='')}"
    response = call(connection, "PATCH", url, now=now, json=_body(event))
    if response.status_code in (404, 410):
        raise EventGone("The event was deleted in Google Calendar.", status=response.status_code)
    if response.status_code != 200:
        raise failure(response, NAME)


def delete(connection: Connection, calendar_id: str, event_id: str, *, now: datetime) -> None:
    url = f"{_events(calendar_id)}/{quote(event_id, safe='')}"
    response = call(connection, "DELETE", url, now=now)
    # 410: already deleted (by the trainer, in Google): what we wanted.
    if response.status_code not in (200, 204, 404, 410):
        raise failure(response, NAME)


def _body(event: EventBody) -> dict[str, Any]:
    return {
        "summary": event.summary,
        "description": event.description,
        "start": {"dateTime": event.start.isoformat()},
        "end": {"dateTime": event.end.isoformat()},
        "extendedProperties": {"private": {BOOKING_PROPERTY: str(event.booking_id)}},
    }


def _item(entry: dict[str, Any], tz_name: str) -> Item:
    remote_id = str(entry["id"])
    if entry.get("status") == "cancelled":
        return Item(remote_id=remote_id, deleted=True)
    private = (entry.get("extendedProperties") or {}).get("private") or {}
    ours = str(private.get(BOOKING_PROPERTY, ""))
    return Item(
        remote_id=remote_id,
        deleted=False,
        start=_moment(entry.get("start") or {}, tz_name),
        end=_moment(entry.get("end") or {}, tz_name),
        blocks=entry.get("transparency", "opaque") != "transparent",
        booking_id=int(ours) if ours.isdigit() else None,
    )


def _moment(value: dict[str, Any], tz_name: str) -> datetime:
    """A timed event's instant, or an all-day event's midnight in the trainer's zone."""
    if "dateTime" in value:
        moment = datetime.fromisoformat(str(value["dateTime"]))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=zone(str(value.get("timeZone") or tz_name)))
        return moment
    return datetime.combine(date.fromisoformat(str(value["date"])), time(0), tzinfo=zone(tz_name))
