from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "trainerhub.billing"
    label = "billing"

    def ready(self) -> None:
        from trainerhub.billing import documents, reads, services
        from trainerhub.core.events import subscribe

        reads.provide_all()
        documents.register_all()
        subscribe("client_package.sold", services.on_client_package_sold)
