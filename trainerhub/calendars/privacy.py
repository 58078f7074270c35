"""Where the calendar sync keeps a client's data, for the privacy export and erase
(clients/privacy.py).

A calendar write (CalendarPush) carries the event's title, which names the client. Erase
replaces the title of every one of the client's writes; those not sent yet still go (the
erase cancels the client's future bookings, so their events are deleted from the calendar),
and the attempt log stays. The export leaves them out: the title is a copy of the client's
name and the booking, both in the export. The rest holds times and ids only, or the
trainer's own account. Events already in the trainer's own calendar are theirs: past ones
keep their title there."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from trainerhub.calendars.models import CalendarPush
from trainerhub.clients.privacy import Holder, Subject, holder_add, no_client_data_add

ERASED_TITLE = "Session (client erased)"


def _pushes(s: Subject) -> QuerySet[Any]:
    return CalendarPush.objects.filter(trainer_id=s.client.trainer_id, client_id=s.client.pk)


def _erase_pushes(rows: QuerySet[Any], s: Subject) -> int:
    return rows.update(summary=ERASED_TITLE)


def register() -> None:
    holder_add(
        Holder(
            "calendars.CalendarPush",
            personal=("summary",),
            other_text=("op", "status", "log"),
            erase="anonymise",
            rows=_pushes,
            eraser=_erase_pushes,
            not_exported="a copy of the client's name and booking, which the export holds",
        )
    )
    no_client_data_add(
        "calendars.Connection", "the trainer's own Google / Microsoft account (tokens encrypted)"
    )
    no_client_data_add("calendars.RemoteCalendar", "the names of the trainer's own calendars")
    no_client_data_add("calendars.RemoteEvent", "event ids and times only, never titles")
    no_client_data_add("calendars.SyncedEvent", "ids and times of the events we wrote")
