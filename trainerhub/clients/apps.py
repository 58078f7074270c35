from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "trainerhub.clients"
    label = "clients"

    def ready(self) -> None:
        from trainerhub.clients import importing, privacy, selectors
        from trainerhub.core import periodic
        from trainerhub.plans import privacy as plans_privacy
        from trainerhub.scheduling.client_reads import provide

        # Confirmed CSV imports run in the worker (and under Celery beat), batch by batch.
        periodic.register("clients.imports", importing.import_run_due)
        privacy.no_client_data_add(
            "clients.ClientImport",
            "a confirmed import's rows only until the worker has written them (then cleared); "
            "the clients it creates are Client rows",
        )
        privacy.no_client_data_add(
            "accounts.TokenFamily", "an API sign-in's id, its user and when it ended"
        )

        for label, why in plans_privacy.NO_CLIENT_DATA.items():
            privacy.no_client_data_add(label, why)

        # Scheduling picks and checks clients through these selectors without importing us.
        provide(selectors)

        from trainerhub.clients import visits

        # Every booking change keeps its client's last visit and next booking columns.
        visits.register()
