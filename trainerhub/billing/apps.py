from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "trainerhub.billing"
    label = "billing"

    def ready(self) -> None:
        from trainerhub.billing import documents, jobs, privacy, reads, receipts, refunds, services
        from trainerhub.clients.sections import section_add
        from trainerhub.core import periodic
        from trainerhub.core.events import subscribe

        reads.provide_all()
        documents.register_all()
        receipts.register_all()
        privacy.register()
        section_add(reads.client_section)
        subscribe("client_package.sold", services.on_client_package_sold)
        periodic.register("billing.overdue_reminders", jobs.overdue_reminders, every=jobs.EVERY)
        subscribe("booking.cancelled", refunds.on_booking_cancelled)
        subscribe("booking.declined", refunds.on_booking_declined)
        periodic.register("billing.stripe_holds", jobs.stripe_holds, every=jobs.STRIPE_EVERY)
        periodic.register("billing.stripe_refunds", jobs.stripe_refunds, every=jobs.STRIPE_EVERY)
        periodic.register("billing.stripe_events", jobs.stripe_events, every=jobs.STRIPE_EVERY)
