from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "trainerhub.clients"
    label = "clients"

    def ready(self) -> None:
        from trainerhub.clients import selectors
        from trainerhub.scheduling.client_reads import provide

        # Scheduling picks and checks clients through these selectors without importing us.
        provide(selectors)
