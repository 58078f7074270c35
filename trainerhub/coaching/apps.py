from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "trainerhub.coaching"
    label = "coaching"
    verbose_name = "Coaching"
    default_auto_field = "django.db.models.BigAutoField"
