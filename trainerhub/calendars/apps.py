from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "trainerhub.calendars"
    label = "calendars"
    verbose_name = "Your own calendars"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Google / Microsoft sync: bookings become events (push.py), connected calendars
        # are read on the worker's schedule (sync.py), next to the ICS calendars.
        from trainerhub.calendars import privacy, push, selectors, sync
        from trainerhub.core import periodic
        from trainerhub.core.events import subscribe
        from trainerhub.scheduling import explain

        # The slot explainer names the calendar that is busy.
        explain.calendar_names_register(selectors.busy_calendar_names)

        for event in (*push.UPSERT_EVENTS, *push.DELETE_EVENTS):
            subscribe(event, push.on_booking_event)
        periodic.register("calendars.push_due", push.push_due)
        periodic.register("calendars.sync_due", sync.sync_due)
        privacy.register()
