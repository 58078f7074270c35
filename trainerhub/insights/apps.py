from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "trainerhub.insights"
    label = "insights"
    verbose_name = "Insights"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from trainerhub.clients.selectors import risk_filter_register
        from trainerhub.insights import privacy, risk, signals

        privacy.register()
        # Flags coaching and packages know (they are below us: we read them).
        risk.signal_add(signals.adherence_dropped)
        risk.signal_add(signals.credits_expiring)

        # The client list (below us) filters by the at-risk rule.
        risk_filter_register(
            levels=[("any", "At risk or lapsed"), *risk.LEVELS.items()], ids=risk.flagged_ids
        )
