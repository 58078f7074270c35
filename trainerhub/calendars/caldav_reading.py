"""Reading a CalDAV calendar (Nextcloud, Fastmail, iCloud, Radicale) through the `caldav`
library: a calendar-query REPORT with a time range, answered as one iCalendar document.

The address is a calendar's own (its REPORT is sent there), or an account's (the server's
root, a principal, iCloud's https://caldav.icloud.com/): then the account's calendars are
discovered and every one that holds events is read.

Each calendar's DAV:sync-token (RFC 6578; Nextcloud, iCloud, Fastmail and Radicale give one)
is read first: when none changed since the last read, the REPORT is skipped, as a 304 skips
an ICS address's body.

The server picks the events that touch the window (recurring series whole, with their
overrides); the expansion stays with `parsing.busy_ranges`, the same code as for ICS
addresses, so both kinds of source block exactly alike (transparent events included).

The app password never reaches a log or an error message; errors name what went wrong in
words for the trainer. Every request, redirect hops and discovered addresses included, goes
through the SSRF guard of ICS addresses before it is sent (`_GuardedAdapter`).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import caldav
import requests
import urllib3
from caldav.elements import dav
from caldav.lib import error as dav_error
from django.conf import settings
from icalendar import Calendar
from requests.adapters import HTTPAdapter

from trainerhub.calendars.fetching import FetchError, check_host, normalise_url

_PRODID = "-//TrainerHub//CalDAV reader//EN"
_MAX_REDIRECTS = 3
_TIMED_OUT = "The calendar did not answer in time."


@dataclass(frozen=True, slots=True)
class CalDavRead:
    # One iCalendar document, or None when nothing changed since `known_version`.
    body: bytes | None
    # The calendars' sync tokens, hashed ("" when a server gives none: always read then).
    version: str


def fetch_events(
    url: str,
    *,
    username: str,
    password: str,
    window_start: datetime,
    window_end: datetime,
    known_version: str = "",
) -> CalDavRead:
    """The VEVENTs (and their VTIMEZONEs) of the calendar(s) at `url` touching the window."""
    url = normalise_url(url)
    with (
        caldav.DAVClient(
            url=url, username=username, password=password, timeout=settings.CALENDAR_FETCH_TIMEOUT
        ) as client,
        _errors_in_words(),
    ):
        client.session.max_redirects = _MAX_REDIRECTS
        for scheme in ("http://", "https://"):
            client.session.mount(scheme, _GuardedAdapter())
        calendars = _calendars(client, url)
        version = _version(calendars)
        if version and version == known_version:
            return CalDavRead(body=None, version=version)
        documents: list[str] = []
        for calendar, _token in calendars:
            found: list[caldav.Event] = calendar.search(
                start=window_start, end=window_end, event=True
            )
            documents.extend(item.data for item in found)
        return CalDavRead(body=_combined(documents), version=version)


class _GuardedAdapter(HTTPAdapter):
    """Checks each request's host before it is sent, and reads each answer up to
    CALENDAR_MAX_BYTES only (one that says it is larger is refused before it is read).

    After a failed request the library asks again once (for servers that drop an
    unauthenticated request instead of answering 401): after a timeout, that second
    request fails at once, so a silent server costs one CALENDAR_FETCH_TIMEOUT, not two."""

    timed_out = False

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        if self.timed_out:
            raise FetchError(_TIMED_OUT)
        check_host(normalise_url(request.url or ""))
        try:
            return self._send_limited(request, *args, **kwargs)
        except (requests.exceptions.Timeout, urllib3.exceptions.TimeoutError):
            self.timed_out = True
            raise FetchError(_TIMED_OUT) from None
        except urllib3.exceptions.HTTPError as exc:  # while reading the body ourselves
            raise FetchError(f"The calendar could not be reached ({type(exc).__name__}).") from None

    def _send_limited(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        response = super().send(request, *args, **kwargs)
        limit = settings.CALENDAR_MAX_BYTES
        too_large = FetchError(f"The calendar is larger than {limit // (1024 * 1024)} MB.")
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            response.close()
            raise too_large
        # A chunked answer says nothing of its size: read one byte past the limit at most.
        body = response.raw.read(limit + 1, decode_content=True)
        response.close()
        if len(body) > limit:
            raise too_large
        response.raw = io.BytesIO(body)  # what requests reads the content from
        return response


def _calendars(client: caldav.DAVClient, url: str) -> list[tuple[caldav.Calendar, str]]:
    """The calendar at `url`, or, for an account's address, its calendars holding events;
    each with its sync token ("" when the server gives none)."""
    here = client.calendar(url=url)
    props = here.get_properties([dav.ResourceType(), dav.SyncToken()])
    if "caldav}calendar" in str(props.get(dav.ResourceType.tag, "")):
        return [(here, str(props.get(dav.SyncToken.tag) or ""))]
    found = [
        (calendar, str(calendar.get_properties([dav.SyncToken()]).get(dav.SyncToken.tag) or ""))
        for calendar in client.principal().calendars()
        if "VEVENT" in calendar.get_supported_components()
    ]
    if not found:
        raise FetchError("No calendar with events was found at this address.")
    return found


def _version(calendars: list[tuple[caldav.Calendar, str]]) -> str:
    """One value that changes when any calendar changes, or one is added or removed."""
    if not all(token for _calendar, token in calendars):
        return ""
    joined = "\n".join(sorted(f"{calendar.url} {token}" for calendar, token in calendars))
    return hashlib.sha256(joined.encode()).hexdigest()


@contextmanager
def _errors_in_words() -> Iterator[None]:
    """The library's and the network's failures as FetchErrors, in words for the trainer."""
    try:
        yield
    except FetchError:
        raise
    except dav_error.AuthorizationError:
        raise FetchError(
            "The server refused the user name or app password (HTTP 401): check them, "
            "or create a new app password in your calendar account."
        ) from None
    except dav_error.NotFoundError:
        raise FetchError(
            "The calendar was not found (HTTP 404): check the calendar's address."
        ) from None
    except requests.exceptions.TooManyRedirects:
        raise FetchError("The calendar's address redirects too many times.") from None
    except requests.exceptions.Timeout:
        raise FetchError(_TIMED_OUT) from None
    except requests.exceptions.RequestException as exc:
        raise FetchError(f"The calendar could not be reached ({type(exc).__name__}).") from None
    except dav_error.DAVError as exc:
        raise FetchError(_dav_message(exc)) from None
    except (SyntaxError, TypeError, AttributeError, KeyError, IndexError):
        # Not XML at all (lxml's XMLSyntaxError), or XML that is no WebDAV multistatus (the
        # library trips over it): a web page, say, where the calendar's address should be.
        raise FetchError(
            "The server's answer is not CalDAV: is this the calendar's CalDAV address?"
        ) from None


def _dav_message(exc: dav_error.DAVError) -> str:
    reason = str(getattr(exc, "reason", "") or "").splitlines()[0:1]
    detail = f" ({reason[0][:80]})" if reason and reason[0] != "no reason" else ""
    return f"The server refused the calendar query{detail}: is this a CalDAV calendar's address?"


def _combined(documents: list[str]) -> bytes:
    """One VCALENDAR holding every object's events and (once each) their time zones."""
    combined = Calendar()
    combined.add("PRODID", _PRODID)
    combined.add("VERSION", "2.0")
    zones: set[str] = set()
    for text in documents:
        try:
            calendar = Calendar.from_ical(text)
        except (ValueError, KeyError, TypeError):
            raise FetchError("The calendar holds an event that cannot be read.") from None
        for component in calendar.subcomponents:
            if component.name == "VTIMEZONE":
                tzid = str(component.get("TZID", ""))
                if tzid in zones:
                    continue
                zones.add(tzid)
            elif component.name != "VEVENT":
                continue
            combined.add_component(component)
    return bytes(combined.to_ical())
