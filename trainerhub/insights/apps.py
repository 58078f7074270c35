from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "trainerhub.insights"
    label = "insights"
    verbose_name = "Insights"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from trainerhub.clients.selectors import risk_filter_register
        from trainerhub.insights import privacy, risk

        privacy.register()

        # The client list (below us) filters by the at-risk rule.
        risk_filter_register(
            levels=[("any", "At risk or lapsed"), *risk.LEVELS.items()], ids=risk.flagged_ids
        )
