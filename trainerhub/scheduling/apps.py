from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "trainerhub.scheduling"
    label = "scheduling"

    def ready(self) -> None:
        from datetime import timedelta

        from trainerhub.core import periodic
        from trainerhub.core.events import subscribe
        from trainerhub.scheduling import slot_cache
        from trainerhub.scheduling.meetings import services as meetings
        from trainerhub.scheduling.meetings import tasks as meeting_tasks
        from trainerhub.scheduling.services.housekeeping import (
            complete_past_sessions,
            expire_requests,
        )

        # What a trainer left unanswered or unmarked (their scheduling settings).
        periodic.register("scheduling.expire_requests", expire_requests, every=timedelta(minutes=5))
        periodic.register(
            "scheduling.complete_past_sessions", complete_past_sessions, every=timedelta(minutes=15)
        )
        # Cached slot listings go stale on every write that can change availability.
        slot_cache.connect()
        # Online bookings' video meetings: given, moved and removed with the booking (in its
        # transaction); Zoom's calls made by the worker.
        for event, handler in meetings.HANDLERS.items():
            subscribe(event, handler)
        periodic.register("meetings.run_due", meeting_tasks.run_due)
