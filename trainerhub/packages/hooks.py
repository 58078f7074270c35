"""What the packages app hands to the apps below it when it loads (PackagesConfig.ready):
its booking-event handlers, the package choices of the booking forms, the client page's
section, the privacy registry's holders and the worker's periodic pass."""

from __future__ import annotations

from trainerhub.core.events import Handler


def booking_handlers() -> dict[str, Handler]:
    from trainerhub.packages.services import HANDLERS

    return dict(HANDLERS)


def register_all() -> None:
    from trainerhub.clients import sections
    from trainerhub.packages import privacy, selectors, views
    from trainerhub.scheduling import package_choices

    package_choices.register(selectors.packages_for_booking)
    sections.section_add(views.client_section)
    privacy.register()

    from datetime import timedelta

    from trainerhub.core import periodic
    from trainerhub.packages.notices import expiry_pass

    # Every 10 minutes: a last day ends at each trainer's own midnight.
    periodic.register("packages.expiry", expiry_pass, every=timedelta(minutes=10))
