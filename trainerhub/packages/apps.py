from django.apps import AppConfig


class PackagesConfig(AppConfig):
    name = "trainerhub.packages"
    label = "packages"
    verbose_name = "Session packages and credits"
    default_auto_field = "django.db.models.BigAutoField"
