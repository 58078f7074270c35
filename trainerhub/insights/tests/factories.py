"""A small practice whose every insight is counted by hand in the tests (see `practice`)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from trainerhub.core.tests.factories import make_booking, make_client, make_service
from trainerhub.core.timezones import zone
from trainerhub.scheduling import services

__all__ = ["at", "make_booking", "make_client", "make_service", "practice"]


def at(trainer: Any, day: str, hhmm: str) -> datetime:
    return datetime.combine(
        date.fromisoformat(day), time.fromisoformat(hhmm), zone(trainer.timezone)
    )


def practice(trainer: Any) -> dict[str, Any]:
    """Mon-Fri 09:00-17:00; Tue 3 Mar 2026 only 09:00-11:00; Fri 13 Mar off 09:00-13:00.

    Chris: completed Mon 2 and Mon 9 Mar 10:00, no-show Wed 11 Mar 14:00.
    Dana:  completed Tue 3 Mar 10:00, cancelled late Thu 12 Mar 09:00 ("Work meeting").
    Eve:   completed Tue 10 Feb 10:00 and Thu 5 Mar 10:00.
    Run with the clock on or after 16 Mar 2026.
    """
    for weekday in range(5):
        services.weekly_interval_create(
            trainer=trainer, weekday=weekday, start=time(9), end=time(17)
        )
    services.date_override_create(
        trainer=trainer,
        date=date(2026, 3, 3),
        closed=False,
        intervals=[{"start": "09:00", "end": "11:00"}],
    )
    services.time_off_create(
        trainer=trainer,
        start=at(trainer, "2026-03-13", "09:00"),
        end=at(trainer, "2026-03-13", "13:00"),
    )
    service = make_service(trainer, name="Personal training")
    chris = make_client(trainer, "Chris", last_name="Cole")
    dana = make_client(trainer, "Dana", last_name="Diaz")
    eve = make_client(trainer, "Eve", last_name="Evans")
    make_booking(chris, at(trainer, "2026-03-02", "10:00"), status="completed")
    make_booking(chris, at(trainer, "2026-03-09", "10:00"), status="completed")
    make_booking(chris, at(trainer, "2026-03-11", "14:00"), status="no_show")
    make_booking(dana, at(trainer, "2026-03-03", "10:00"), status="completed")
    make_booking(
        dana,
        at(trainer, "2026-03-12", "09:00"),
        status="cancelled",
        late=True,
        reason="Work meeting",
    )
    make_booking(eve, at(trainer, "2026-02-10", "10:00"), status="completed")
    make_booking(eve, at(trainer, "2026-03-05", "10:00"), status="completed")
    return {"service": service, "chris": chris, "dana": dana, "eve": eve}


def local_at_past(trainer: Any, days_ago: int) -> datetime:
    """10:00 local, `days_ago` days before today."""
    from datetime import timedelta

    tz = zone(trainer.timezone)
    today = datetime.now(tz).date()
    return datetime.combine(today - timedelta(days=days_ago), time(10), tz)
