from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "trainerhub.core"
    label = "core"

    def ready(self) -> None:
        # Fixes the web process's start time (heartbeat.PROCESS_STARTED_AT) at start-up, not at
        # the first request: /healthz's grace for a worker that has not run yet counts from it.
        from trainerhub.core import heartbeat  # noqa: F401
        from trainerhub.core.validation import install_date_range, install_text_rule

        # One range for every date the product accepts, and no control characters in any
        # text, on every form and serializer.
        install_date_range()
        install_text_rule()
        # And no write body with a field its serializer does not take (core/api.py).
        # Nor a query parameter its operation does not list.
        from trainerhub.core.api import install_strict_input, install_strict_query

        install_strict_input()
        install_strict_query()
