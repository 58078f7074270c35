from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "trainerhub.contracts"
    label = "contracts"
    verbose_name = "Contracts and signatures"
    default_auto_field = "django.db.models.BigAutoField"
