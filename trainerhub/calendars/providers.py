"""Which module speaks to which provider (google.py, microsoft.py share their functions'
names and shapes, so sync.py and push.py never branch on the provider)."""

from __future__ import annotations

from datetime import datetime
from types import ModuleType

from trainerhub.calendars import google, microsoft
from trainerhub.calendars.models import Connection, Provider
from trainerhub.calendars.remote import CalendarInfo


def api(connection: Connection) -> ModuleType:
    return google if connection.provider == Provider.GOOGLE else microsoft


def calendars_and_account(
    connection: Connection, *, now: datetime
) -> tuple[list[CalendarInfo], str]:
    """The account's calendars and its address (Google's primary calendar id is the address;
    Graph names it at /me)."""
    calendars = api(connection).list_calendars(connection, now=now)
    if connection.provider == Provider.GOOGLE:
        return calendars, google.account_name(calendars)
    return calendars, microsoft.account_name(connection, now=now)
