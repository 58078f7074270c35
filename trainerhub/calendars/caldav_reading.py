"""Reading a CalDAV calendar (Nextcloud, Fastmail, iCloud, Radicale) through the `caldav`
library: one calendar-query REPORT with a time range, answered as one iCalendar document.

The server picks the events that touch the window (recurring series whole, with their
overrides); the expansion stays with `parsing.busy_ranges`, the same code as for ICS
addresses, so both kinds of source block exactly alike (transparent events included).

The app password never reaches a log or an error message; errors name what went wrong in
words for the trainer. The address gets the SSRF guard of ICS addresses, and redirects are
refused rather than followed unchecked.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import caldav
import requests
from caldav.lib import error as dav_error
from django.conf import settings
from icalendar import Calendar

from trainerhub.calendars.fetching import FetchError, check_host, normalise_url

_PRODID = "-//TrainerHub//CalDAV reader//EN"


def fetch_events(
    url: str, *, username: str, password: str, window_start: datetime, window_end: datetime
) -> bytes:
    """The VEVENTs (and their VTIMEZONEs) of the calendar at `url` touching the window."""
    url = normalise_url(url)
    check_host(url)
    with caldav.DAVClient(
        url=url, username=username, password=password, timeout=settings.CALENDAR_FETCH_TIMEOUT
    ) as client:
        # A redirect would be followed to a host nobody checked: refuse it, name it.
        client.session.max_redirects = 0
        client.session.hooks["response"].append(_size_guard)
        try:
            found = client.calendar(url=url).search(
                start=window_start, end=window_end, event=True, expand=False
            )
            return _combined([item.data for item in found])
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
            raise FetchError(
                "The server redirects this address elsewhere: use the calendar's own address."
            ) from None
        except requests.exceptions.Timeout:
            raise FetchError("The calendar did not answer in time.") from None
        except requests.exceptions.RequestException as exc:
            raise FetchError(f"The calendar could not be reached ({type(exc).__name__}).") from None
        except dav_error.DAVError as exc:
            raise FetchError(_dav_message(exc)) from None
        except SyntaxError:  # lxml's XMLSyntaxError: the answer is not XML at all
            raise FetchError("The server's answer is not CalDAV (unreadable XML).") from None


def _size_guard(response: requests.Response, *args: Any, **kwargs: Any) -> None:
    """Refuse an answer that says it is larger than CALENDAR_MAX_BYTES before reading it."""
    limit = settings.CALENDAR_MAX_BYTES
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        response.close()
        raise FetchError(f"The calendar is larger than {limit // (1024 * 1024)} MB.")


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
