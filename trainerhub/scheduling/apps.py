from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "trainerhub.scheduling"
    label = "scheduling"

    def ready(self) -> None:
        from datetime import timedelta

        from trainerhub.core import periodic
        from trainerhub.scheduling import slot_cache
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
