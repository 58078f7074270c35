from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "trainerhub.coaching"
    label = "coaching"
    verbose_name = "Coaching"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from trainerhub.clients.sections import section_add
        from trainerhub.clients.selectors import timeline_source_add
        from trainerhub.coaching import privacy, sections
        from trainerhub.coaching.selectors import client_timeline_entries

        # The CRM's client page shows training on its timeline; clients may not import us.
        timeline_source_add(client_timeline_entries)
        # Export and erase know where a client's training data lives.
        privacy.register()
        # The CRM client page shows the client's training card.
        section_add(sections.client_card)
