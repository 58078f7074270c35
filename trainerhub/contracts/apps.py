from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "trainerhub.contracts"
    label = "contracts"
    verbose_name = "Contracts and signatures"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from trainerhub.clients.sections import section_add
        from trainerhub.contracts import privacy, services
        from trainerhub.contracts.templatetags.contracts_tags import client_section
        from trainerhub.core.events import subscribe

        # A service that requires a template sends it when booked (page, portal or API).
        subscribe("booking.created", services.on_booking_created)
        privacy.register()
        section_add(client_section)
