"""Microsoft Graph v1.0, as documented: the calendars, `calendarView/delta` (pages through
`@odata.nextLink`, then a `@odata.deltaLink` that the next read starts from; 410 Gone means
read everything again) and event create / update / delete.

Times are asked for in UTC (`Prefer: outlook.timezone="UTC"`). Our own events carry the
booking id in a single-value extended property of our own namespace."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
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

NAME = "Microsoft 365"
BOOKING_PROPERTY = "String {8c3f7a52-1d4e-4b8a-9f61-2e7d5c0b9a14} Name trainerhubBooking"
# Our events' transactionId: "trainerhub-<booking id>-<start, epoch seconds>". Graph refuses
# a second create with the same one, so a retried write never makes a duplicate event.
TRANSACTION_PREFIX = "trainerhub"
PREFER = {"Prefer": 'outlook.timezone="UTC", odata.maxpagesize=100'}


def _api(path: str) -> str:
    return f"{conf.get('MICROSOFT_GRAPH_BASE')}/v1.0{path}"


def list_calendars(connection: Connection, *, now: datetime) -> list[CalendarInfo]:
    found: list[CalendarInfo] = []
    url = _api("/me/calendars")
    while url:
        response = call(connection, "GET", url, now=now)
        if response.status_code != 200:
            raise failure(response, NAME)
        body = json_of(response)
        for entry in body.get("value", []):
            found.append(
                CalendarInfo(
                    remote_id=str(entry["id"]),
                    name=str(entry.get("name") or "Calendar"),
                    primary=bool(entry.get("isDefaultCalendar")),
                    can_write=bool(entry.get("canEdit")),
                )
            )
        url = str(body.get("@odata.nextLink") or "")
    return found


def account_name(connection: Connection, *, now: datetime) -> str:
    response = call(connection, "GET", _api("/me"), now=now)
    if response.status_code != 200:
        raise failure(response, NAME)
    body = json_of(response)
    return str(body.get("mail") or body.get("userPrincipalName") or "")


def read(
    connection: Connection,
    calendar_id: str,
    *,
    token: str,
    window: tuple[datetime, datetime],
    tz_name: str,
    now: datetime,
) -> Changes:
    """Every page of changes since the delta link `token` (the window's events without)."""
    url = token
    params: dict[str, Any] | None = None
    if not url:
        url = _api(f"/me/calendars/{quote(calendar_id, safe='')}/calendarView/delta")
        params = {
            "startDateTime": _utc(window[0]),
            "endDateTime": _utc(window[1]),
        }
    items: list[Item] = []
    while True:
        response = call(connection, "GET", url, now=now, params=params, headers=PREFER)
        if response.status_code == 410:
            raise SyncExpired("Microsoft asked for a full read again.", status=410)
        if response.status_code != 200:
            raise failure(response, NAME)
        body = json_of(response)
        items += [_item(entry, tz_name) for entry in body.get("value", [])]
        params = None  # the links carry every parameter
        if body.get("@odata.nextLink"):
            url = str(body["@odata.nextLink"])
            continue
        return Changes(items=items, token=str(body.get("@odata.deltaLink") or ""))


def insert(connection: Connection, calendar_id: str, event: EventBody, *, now: datetime) -> str:
    url = _api(f"/me/calendars/{quote(calendar_id, safe='')}/events")
    response = call(connection, "POST", url, now=now, json=_body(event))
    if response.status_code not in (200, 201):
        raise failure(response, NAME)
    return str(json_of(response)["id"])


def update(
    connection: Connection, calendar_id: str, event_id: str, event: EventBody, *, now: datetime
) -> None:
    url = _api(f"/me/events/{quote(event_id, safe='')}")
    response = call(connection, "PATCH", url, now=now, json=_body(event))
    if response.status_code in (404, 410):
        raise EventGone("The event was deleted in Outlook.", status=response.status_code)
    if response.status_code != 200:
        raise failure(response, NAME)


def delete(connection: Connection, calendar_id: str, event_id: str, *, now: datetime) -> None:
    url = _api(f"/me/events/{quote(event_id, safe='')}")
    response = call(connection, "DELETE", url, now=now)
    if response.status_code not in (200, 204, 404, 410):
        raise failure(response, NAME)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _body(event: EventBody) -> dict[str, Any]:
    return {
        "subject": event.summary,
        "body": {"contentType": "text", "content": event.description},
        "start": {
            "dateTime": event.start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S"),
            "timeZone": "UTC",
        },
        "end": {
            "dateTime": event.end.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S"),
            "timeZone": "UTC",
        },
        "transactionId": (
            f"{TRANSACTION_PREFIX}-{event.booking_id}-{int(event.start.timestamp())}"
        ),
        "singleValueExtendedProperties": [{"id": BOOKING_PROPERTY, "value": str(event.booking_id)}],
    }


def _item(entry: dict[str, Any], tz_name: str) -> Item:
    remote_id = str(entry["id"])
    if "@removed" in entry or entry.get("isCancelled"):
        return Item(remote_id=remote_id, deleted=True)
    all_day = bool(entry.get("isAllDay"))
    return Item(
        remote_id=remote_id,
        deleted=False,
        start=_moment(entry.get("start") or {}, all_day, tz_name),
        end=_moment(entry.get("end") or {}, all_day, tz_name),
        blocks=entry.get("showAs", "busy") != "free",
        booking_id=_ours(entry),
    )


def _ours(entry: dict[str, Any]) -> int | None:
    """The booking id of one of our events: from the extended property when Graph includes
    it, else from the transactionId we set (a delta read returns that, not the property)."""
    for prop in entry.get("singleValueExtendedProperties") or []:
        value = str(prop.get("value", ""))
        if str(prop.get("id", "")).lower() == BOOKING_PROPERTY.lower() and value.isdigit():
            return int(value)
    parts = str(entry.get("transactionId") or "").split("-")
    if len(parts) == 3 and parts[0] == TRANSACTION_PREFIX and parts[1].isdigit():
        return int(parts[1])
    return None


def _moment(value: dict[str, Any], all_day: bool, tz_name: str) -> datetime:
    """Graph's dateTime has seven decimals and names its zone apart (UTC, as asked); an
    all-day event is a date: its midnight in the trainer's zone."""
    raw = str(value["dateTime"]).split(".")[0]
    if all_day:
        return datetime.combine(date.fromisoformat(raw[:10]), time(0), tzinfo=zone(tz_name))
    return datetime.fromisoformat(raw).replace(tzinfo=UTC)
